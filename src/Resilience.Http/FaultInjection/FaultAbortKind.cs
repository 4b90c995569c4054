namespace Resilience.Http;

/// <summary>How an injected abort fails a request.</summary>
public enum FaultAbortKind
{
    /// <summary>The request is answered with <see cref="FaultInjectionOptions.AbortStatusCode"/> and an empty body.</summary>
    StatusCode,

    /// <summary>
    /// The connection is dropped: a client sees an <see cref="HttpRequestException"/> as if the server had reset it,
    /// and a server aborts the request's connection.
    /// </summary>
    DropConnection,
}
