namespace Resilience.Http;

/// <summary>The defaults of the HTTP integration, where they differ from or add to Resilience4j's.</summary>
internal static class HttpResilienceConstants
{
    /// <summary>The longest wait a .NET timer takes, about 49.7 days: the upper bound of the HTTP durations, as of the primitives' own.</summary>
    public static readonly TimeSpan MaximumWait = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    public static readonly TimeSpan DefaultTotalTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultAttemptTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan DefaultMaxRetryAfterDelay = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultAuthorityIdleTimeout = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan MinimumAuthorityIdleTimeout = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The gRPC status codes a retry sends again by default: CANCELLED (1) and UNAVAILABLE (14), the gRPC codes of
    /// Istio's default <c>retryOn</c> (<c>connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes</c>).
    /// </summary>
    public static ReadOnlySpan<int> DefaultRetryGrpcStatusCodes => [1, 14];

    /// <summary>
    /// The gRPC status codes a circuit breaker records as failures by default: UNKNOWN (2), DEADLINE_EXCEEDED (4),
    /// RESOURCE_EXHAUSTED (8), INTERNAL (13), UNAVAILABLE (14) and DATA_LOSS (15), the codes Envoy maps to 5xx, 504
    /// and 429, as the HTTP rule counts 5xx, 408 and 429 (less UNIMPLEMENTED, 501, a missing method that says nothing
    /// about the server's health).
    /// </summary>
    public static ReadOnlySpan<int> DefaultFailureGrpcStatusCodes => [2, 4, 8, 13, 14, 15];

    /// <summary>The suffix of the total time limiter's instance name in the standard composition.</summary>
    public const string TotalTimeLimiterSuffix = "-total";
}
