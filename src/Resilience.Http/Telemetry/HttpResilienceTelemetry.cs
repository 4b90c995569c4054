using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Resilience.Http.Internal;

namespace Resilience.Http.Telemetry;

#pragma warning disable CA1822 // Hooks without a listener yet; metrics and tracing fill them.

/// <summary>The telemetry hooks the handlers call. Each is cheap when nothing listens.</summary>
internal sealed partial class HttpResilienceTelemetry
{
    /// <summary>Telemetry that goes nowhere, for handlers built outside DI.</summary>
    public static readonly HttpResilienceTelemetry Null = new(NullLoggerFactory.Instance);

    private readonly ILogger _logger;

    public HttpResilienceTelemetry(ILoggerFactory loggerFactory)
    {
        _logger = loggerFactory.CreateLogger("Resilience.Http");
    }

    /// <summary>A breaker was created (once per instance and per authority); subscribe to its transitions.</summary>
    public void OnBreakerCreated(TelemetrySource source, CircuitBreaker breaker)
    {
    }

    /// <summary>A breaker set was built (at first use and when a reload changed its options); hook its breakers.</summary>
    public void OnBreakerSetCreated(TelemetrySource source, BreakerSet set)
    {
        set.BreakerCreated += breaker => OnBreakerCreated(source, breaker);
        foreach (CircuitBreaker breaker in set.Breakers)
        {
            OnBreakerCreated(source, breaker);
        }
    }

    /// <summary>Options changed to something invalid; the last good primitive is kept.</summary>
    public void OnReloadFailed(TelemetrySource source, Exception exception) =>
        LogReloadFailed(_logger, exception, source.Kind, source.InstanceName, source.ClientName);

    /// <summary>A permitted call ended and was recorded.</summary>
    public void OnBreakerCall(TelemetrySource source, CircuitBreaker breaker, BreakerCallOutcome outcome, TimeSpan duration)
    {
    }

    /// <summary>The breaker refused a call.</summary>
    public void OnBreakerRejected(TelemetrySource source, CircuitBreaker breaker, HttpRequestMessage request)
    {
    }

    /// <summary>A retry will be made after <paramref name="wait"/>.</summary>
    public void OnRetry(TelemetrySource source, HttpRequestMessage request, int attempt, TimeSpan wait, HttpResponseMessage? response, Exception? error)
    {
    }

    /// <summary>A failed attempt is not retried, for <paramref name="reason"/>.</summary>
    public void OnRetryNotAttempted(TelemetrySource source, HttpRequestMessage request, string reason) =>
        LogRetryNotAttempted(_logger, source.ClientName, source.InstanceName, request.Method, request.RequestUri, reason);

    /// <summary>A call through the retry ended.</summary>
    public void OnRetryCallEnded(TelemetrySource source, Retry.CallEnd end, int attempts)
    {
    }

    /// <summary>The bulkhead refused a call.</summary>
    public void OnBulkheadRejected(TelemetrySource source, HttpRequestMessage request)
    {
    }

    /// <summary>The rate limiter refused a call.</summary>
    public void OnRateLimiterRejected(TelemetrySource source, HttpRequestMessage request)
    {
    }

    /// <summary>A time limiter cut a call short.</summary>
    public void OnTimeout(TelemetrySource source, HttpRequestMessage request, TimeSpan timeout)
    {
    }

    [LoggerMessage(EventId = 1010, Level = LogLevel.Error, Message = "Reloaded options of {Kind} '{InstanceName}' on client '{ClientName}' were rejected; the previous settings stay in force.")]
    private static partial void LogReloadFailed(ILogger logger, Exception exception, string kind, string instanceName, string clientName);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Request {Method} {Uri} of client '{ClientName}' failed and is not retried by '{InstanceName}': {Reason}.")]
    private static partial void LogRetryNotAttempted(ILogger logger, string clientName, string instanceName, HttpMethod method, Uri? uri, string reason);
}
