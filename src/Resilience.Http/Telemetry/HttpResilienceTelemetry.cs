using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Resilience.Http.Internal;

namespace Resilience.Http.Telemetry;

/// <summary>
/// The telemetry hooks the handlers call: metrics, logs and events on the current activity. Each hook tests whether
/// anything listens before it builds anything; tags come from arrays cached on the <see cref="TelemetrySource"/>, so
/// with or without a meter listener the per-call hooks allocate nothing.
/// </summary>
internal sealed partial class HttpResilienceTelemetry : IDisposable
{
    /// <summary>Telemetry that goes nowhere, for handlers built outside DI.</summary>
    public static readonly HttpResilienceTelemetry Null = new(NullLoggerFactory.Instance);

    private readonly ILogger _logger;

    public HttpResilienceTelemetry(ILoggerFactory loggerFactory, IMeterFactory? meterFactory = null, ResilienceTelemetryOptions? options = null)
    {
        _logger = loggerFactory.CreateLogger(ResilienceTelemetry.LoggerCategory);
        Instruments = new ResilienceInstruments(meterFactory, options?.ThreadPoolBulkheadRegistries);
    }

    /// <summary>Gets the instruments of the Resilience meter.</summary>
    public ResilienceInstruments Instruments { get; }

    /// <summary>Makes the gauges report the primitives of <paramref name="registry"/>.</summary>
    public void Observe(HttpResilienceRegistry registry) => Instruments.Observe(registry);

    /// <summary>A breaker was created (once per instance and per authority); subscribe to its transitions.</summary>
    public void OnBreakerCreated(TelemetrySource source, CircuitBreaker breaker) =>
        breaker.Events.StateTransition += e => OnStateTransition(source, breaker, e);

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
        LogReloadFailed(_logger, exception, source.Kind, source.InstanceLabel, source.ClientLabel);

    /// <summary>A permitted call ended; a call released without being recorded (the caller cancelled it) is not counted.</summary>
    public void OnBreakerCall(TelemetrySource source, CircuitBreakerCompletion completion)
    {
        CircuitBreakerCallOutcome outcome = completion.Outcome;
        if (outcome == CircuitBreakerCallOutcome.Released)
        {
            return;
        }

        if (Instruments.BreakerCalls.Enabled)
        {
            Instruments.BreakerCalls.Add(1, source.Tags.BreakerOutcome(outcome));
        }

        if (Instruments.BreakerCallDuration.Enabled && outcome != CircuitBreakerCallOutcome.Ignored)
        {
            Instruments.BreakerCallDuration.Record(completion.Duration.TotalSeconds, source.Tags.BreakerOutcome(outcome));
        }
    }

    /// <summary>The breaker refused a call.</summary>
    public void OnBreakerRejected(TelemetrySource source, CircuitBreaker breaker, HttpRequestMessage request)
    {
        if (Instruments.BreakerCalls.Enabled)
        {
            Instruments.BreakerCalls.Add(1, source.Tags.NotPermitted);
        }

        LogBreakerRejected(_logger, request.Method, request.RequestUri, source.ClientLabel, breaker.Name, breaker.State);
        AddEvent(source, "resilience.circuit_breaker.rejected", "resilience.circuit_breaker.state", breaker.State);
    }

    /// <summary>A retry will be made after <paramref name="wait"/>.</summary>
    public void OnRetry(TelemetrySource source, HttpRequestMessage request, int attempt, TimeSpan wait, HttpResponseMessage? response, Exception? error)
    {
        int? statusCode = response is null ? null : (int)response.StatusCode;
        string? errorType = error?.GetType().Name;
        if (errorType is not null)
        {
            LogRetryAfterException(_logger, request.Method, request.RequestUri, source.ClientLabel, source.InstanceLabel, attempt, new LoggedDuration(wait), errorType);
        }
        else if (statusCode is { } status)
        {
            LogRetryAfterStatusCode(_logger, request.Method, request.RequestUri, source.ClientLabel, source.InstanceLabel, attempt, new LoggedDuration(wait), status);
        }
        else
        {
            LogRetryWithoutResponse(_logger, request.Method, request.RequestUri, source.ClientLabel, source.InstanceLabel, attempt, new LoggedDuration(wait));
        }

        using Activity? own = StartOwnActivity("resilience.retry");
        Activity? activity = own ?? Activity.Current;
        if (activity is { IsAllDataRequested: true })
        {
            var tags = new ActivityTagsCollection
            {
                [ResilienceTelemetry.InstanceTag] = source.InstanceName,
                ["resilience.retry.attempt"] = attempt,
                ["resilience.retry.wait"] = wait.TotalSeconds,
            };
            if (statusCode is { } code)
            {
                tags["http.response.status_code"] = code;
            }

            if (errorType is not null)
            {
                tags["error.type"] = error!.GetType().FullName;
            }

            activity.AddEvent(new ActivityEvent("resilience.retry", tags: tags));
        }
    }

    /// <summary>A failed attempt is not retried, for <paramref name="reason"/>.</summary>
    public void OnRetryNotAttempted(TelemetrySource source, HttpRequestMessage request, string reason) =>
        LogRetryNotAttempted(_logger, source.ClientLabel, source.InstanceLabel, request.Method, request.RequestUri, reason);

    /// <summary>A call through the retry ended, as its <see cref="RetryContext"/> reports; a cancelled call is not counted.</summary>
    public void OnRetryCallEnded(TelemetrySource source, RetryCallOutcome outcome, int attempts)
    {
        if (outcome is RetryCallOutcome.Succeeded or RetryCallOutcome.Failed && Instruments.RetryCalls.Enabled)
        {
            Instruments.RetryCalls.Add(1, source.Tags.RetryKind(outcome == RetryCallOutcome.Succeeded, attempts > 1));
        }
    }

    /// <summary>The bulkhead refused a call.</summary>
    public void OnBulkheadRejected(TelemetrySource source, HttpRequestMessage request)
    {
        if (Instruments.BulkheadRejections.Enabled)
        {
            Instruments.BulkheadRejections.Add(1, source.Tags.Common);
        }

        LogBulkheadRejected(_logger, request.Method, request.RequestUri, source.ClientLabel, source.InstanceLabel);
        AddEvent(source, "resilience.bulkhead.rejected", null, 0);
    }

    /// <summary>The rate limiter refused a call.</summary>
    public void OnRateLimiterRejected(TelemetrySource source, HttpRequestMessage request)
    {
        if (Instruments.RateLimiterRejections.Enabled)
        {
            Instruments.RateLimiterRejections.Add(1, source.Tags.Common);
        }

        LogRateLimited(_logger, request.Method, request.RequestUri, source.ClientLabel, source.InstanceLabel);
        AddEvent(source, "resilience.rate_limiter.rejected", null, 0);
    }

    /// <summary>A time limiter cut a call short.</summary>
    public void OnTimeout(TelemetrySource source, HttpRequestMessage request, TimeSpan timeout)
    {
        if (Instruments.Timeouts.Enabled)
        {
            Instruments.Timeouts.Add(1, source.Tags.Common);
        }

        LogTimeout(_logger, request.Method, request.RequestUri, source.ClientLabel, source.InstanceLabel, new LoggedDuration(timeout));
        AddEvent(source, "resilience.time_limiter.timeout", "resilience.time_limiter.timeout", timeout.TotalSeconds);
    }

    public void Dispose() => Instruments.Dispose();

    /// <summary>The source of the spans Resilience starts itself: only to carry an event outside any trace.</summary>
    internal static readonly ActivitySource ActivitySource = new(ResilienceTelemetry.ActivitySourceName);

    /// <summary>Adds an event to the current activity when it records; the value is boxed only then.</summary>
    private static void AddEvent<T>(TelemetrySource source, string name, string? tag, T value)
    {
        using Activity? own = StartOwnActivity(name);
        Activity? activity = own ?? Activity.Current;
        if (activity is { IsAllDataRequested: true })
        {
            var tags = new ActivityTagsCollection { [ResilienceTelemetry.InstanceTag] = source.InstanceName };
            if (tag is not null)
            {
                tags[tag] = value is CircuitBreakerState state ? StateName(state) : value;
            }

            activity.AddEvent(new ActivityEvent(name, tags: tags));
        }
    }

    /// <summary>
    /// Starts a span of the <see cref="ResilienceTelemetry.ActivitySourceName"/> source to carry an event when there is
    /// no current activity (a background call outside any trace) and someone listens to the source; otherwise none.
    /// </summary>
    private static Activity? StartOwnActivity(string name) =>
        Activity.Current is null && ActivitySource.HasListeners() ? ActivitySource.StartActivity(name, ActivityKind.Internal) : null;

    /// <summary>The name of a state in tags: snake case, as in the <c>state</c> tag of the state gauge.</summary>
    internal static string StateName(CircuitBreakerState state) => state switch
    {
        CircuitBreakerState.Closed => "closed",
        CircuitBreakerState.Open => "open",
        CircuitBreakerState.HalfOpen => "half_open",
        CircuitBreakerState.Disabled => "disabled",
        CircuitBreakerState.ForcedOpen => "forced_open",
        _ => "metrics_only",
    };

    private void OnStateTransition(TelemetrySource source, CircuitBreaker breaker, CircuitBreakerEvent e)
    {
        switch (e.ToState)
        {
            case CircuitBreakerState.Open or CircuitBreakerState.ForcedOpen when _logger.IsEnabled(LogLevel.Warning):
                CircuitBreakerMetrics metrics = breaker.GetMetrics();
                LogBreakerOpened(_logger, breaker.Name, source.ClientLabel, e.FromState, e.ToState, metrics.FailureRate, metrics.SlowCallRate);
                break;
            case CircuitBreakerState.Open or CircuitBreakerState.ForcedOpen:
                break;
            case CircuitBreakerState.Closed:
                LogBreakerClosed(_logger, breaker.Name, source.ClientLabel, e.FromState);
                break;
            default:
                LogBreakerTransition(_logger, breaker.Name, source.ClientLabel, e.FromState, e.ToState);
                break;
        }
    }
}
