namespace Resilience.Routing.Internal;

/// <summary>What one attempt against an endpoint came to, as the outlier detector counts it.</summary>
internal enum EndpointOutcome
{
    /// <summary>A response below 500 (a 4xx is the caller's problem, not the endpoint's).</summary>
    Success,

    /// <summary>A 5xx response other than a gateway failure (500, 501, 505 and so on).</summary>
    ServerError,

    /// <summary>A 502, 503 or 504 response: counted by both consecutive detectors.</summary>
    GatewayFailure,

    /// <summary>
    /// A failure raised on this side before a response: connection refused or reset, TLS failure, an attempt time-out.
    /// Counted as Envoy counts a local-origin failure without <c>split_external_local_origin_errors</c>: as a gateway
    /// failure (503 for a connection failure, 504 for a time-out).
    /// </summary>
    LocalOriginFailure,

    /// <summary>The caller cancelled the request: never counted against the endpoint.</summary>
    CallerCancelled,
}

/// <summary>Why an endpoint was ejected; the <c>reason</c> tag of the ejection metric.</summary>
internal enum EjectionReason
{
    /// <summary><c>consecutive_5xx</c>.</summary>
    Consecutive5xx,

    /// <summary><c>consecutive_gateway_failure</c>.</summary>
    ConsecutiveGatewayFailure,

    /// <summary><c>success_rate</c>.</summary>
    SuccessRate,

    /// <summary><c>failure_percentage</c>.</summary>
    FailurePercentage,
}
