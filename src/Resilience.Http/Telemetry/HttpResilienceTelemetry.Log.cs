using Microsoft.Extensions.Logging;

namespace Resilience.Http.Telemetry;

/// <summary>The log messages, source-generated. Refusals and timeouts are debug: under load they come once per request.</summary>
internal sealed partial class HttpResilienceTelemetry
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Circuit breaker '{BreakerName}' of client '{ClientName}' moved from {FromState} to {ToState}; failure rate {FailureRate}%, slow-call rate {SlowCallRate}%.")]
    private static partial void LogBreakerOpened(ILogger logger, string breakerName, string clientName, CircuitBreakerState fromState, CircuitBreakerState toState, float failureRate, float slowCallRate);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Circuit breaker '{BreakerName}' of client '{ClientName}' closed (from {FromState}).")]
    private static partial void LogBreakerClosed(ILogger logger, string breakerName, string clientName, CircuitBreakerState fromState);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Circuit breaker '{BreakerName}' of client '{ClientName}' moved from {FromState} to {ToState}.")]
    private static partial void LogBreakerTransition(ILogger logger, string breakerName, string clientName, CircuitBreakerState fromState, CircuitBreakerState toState);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Request {Method} {Uri} of client '{ClientName}' failed and is not retried by '{InstanceName}': {Reason}.")]
    private static partial void LogRetryNotAttempted(ILogger logger, string clientName, string instanceName, HttpMethod method, Uri? uri, string reason);

    // A retry names what it retries: the status code of a response (1005) or the exception of a failed attempt (1011),
    // each with a template of its own so that no field is printed empty.
    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Request {Method} {Uri} of client '{ClientName}' is retried by '{InstanceName}': attempt {Attempt} after {Wait}; status code {StatusCode}.")]
    private static partial void LogRetryAfterStatusCode(ILogger logger, HttpMethod method, Uri? uri, string clientName, string instanceName, int attempt, LoggedDuration wait, int statusCode);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Information, Message = "Request {Method} {Uri} of client '{ClientName}' is retried by '{InstanceName}': attempt {Attempt} after {Wait}; exception {ExceptionType}.")]
    private static partial void LogRetryAfterException(ILogger logger, HttpMethod method, Uri? uri, string clientName, string instanceName, int attempt, LoggedDuration wait, string exceptionType);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Information, Message = "Request {Method} {Uri} of client '{ClientName}' is retried by '{InstanceName}': attempt {Attempt} after {Wait}; no response.")]
    private static partial void LogRetryWithoutResponse(ILogger logger, HttpMethod method, Uri? uri, string clientName, string instanceName, int attempt, LoggedDuration wait);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Debug, Message = "Request {Method} {Uri} of client '{ClientName}' was refused by circuit breaker '{BreakerName}' ({State}).")]
    private static partial void LogBreakerRejected(ILogger logger, HttpMethod method, Uri? uri, string clientName, string breakerName, CircuitBreakerState state);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Debug, Message = "Request {Method} {Uri} of client '{ClientName}' was refused by bulkhead '{InstanceName}': it is full.")]
    private static partial void LogBulkheadRejected(ILogger logger, HttpMethod method, Uri? uri, string clientName, string instanceName);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Debug, Message = "Request {Method} {Uri} of client '{ClientName}' was refused by rate limiter '{InstanceName}'.")]
    private static partial void LogRateLimited(ILogger logger, HttpMethod method, Uri? uri, string clientName, string instanceName);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Debug, Message = "Request {Method} {Uri} of client '{ClientName}' timed out in time limiter '{InstanceName}' after {Timeout}.")]
    private static partial void LogTimeout(ILogger logger, HttpMethod method, Uri? uri, string clientName, string instanceName, LoggedDuration timeout);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Error, Message = "Reloaded options of {Kind} '{InstanceName}' on client '{ClientName}' were rejected; the previous settings stay in force.")]
    private static partial void LogReloadFailed(ILogger logger, Exception exception, string kind, string instanceName, string clientName);

    /// <summary>A duration in a log message, printed as people write it (<c>200 ms</c>, <c>2 s</c>); formatted only when the message is written.</summary>
    private readonly struct LoggedDuration(TimeSpan value)
    {
        /// <summary>Gets the duration.</summary>
        public TimeSpan Value { get; } = value;

        /// <inheritdoc/>
        public override string ToString() => DurationText.Format(Value);
    }
}
