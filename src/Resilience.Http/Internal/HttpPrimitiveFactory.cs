using Resilience.Http.Telemetry;

namespace Resilience.Http.Internal;

/// <summary>Builds a primitive from options, reusing the previous one when a reload changed nothing that matters to it.</summary>
/// <remarks>
/// What a reload keeps:
/// <list type="bullet">
/// <item>Options that compare equal keep the same instance, with all its state. A configuration file change that
/// touches other sections therefore resets nothing.</item>
/// <item>A circuit breaker whose window type and size did not change is rebuilt with the new settings and put in
/// the state of its predecessor (open for a fresh wait, forced open, disabled, metrics-only or half-open); its
/// window counts start again. When the window type or size changes, the breaker starts again, closed.</item>
/// <item>A bulkhead whose only change is <see cref="BulkheadOptions.MaxConcurrentCalls"/>, and a rate limiter whose only
/// changes are <see cref="RequestRateLimiterOptions.LimitForPeriod"/> and <see cref="RequestRateLimiterOptions.TimeoutDuration"/>,
/// are changed in place, keeping their permits.</item>
/// <item>Anything else builds a new instance; calls in flight finish on the old one.</item>
/// </list>
/// </remarks>
internal static class HttpPrimitiveFactory
{
    public static BreakerSet BuildBreakers(string instanceName, HttpCircuitBreakerOptions options, BreakerSet? previous, TimeProvider timeProvider)
    {
        if (previous is not null && OptionsEquality.AreEqual(previous.Options, options))
        {
            return previous;
        }

        var next = new BreakerSet(instanceName, options.CloneHttp(), timeProvider);
        if (previous?.Single is { } old && next.Single is { } fresh
            && previous.Options.SlidingWindowType == options.SlidingWindowType
            && previous.Options.SlidingWindowSize == options.SlidingWindowSize)
        {
            CarryState(old.State, fresh);
        }

        return next;
    }

    public static HttpRetryPolicy BuildRetry(string instanceName, HttpRetryOptions options, TimeSpan? totalTimeout, HttpRetryPolicy? previous, TimeProvider timeProvider, HttpResilienceTelemetry telemetry, TelemetrySource source) =>
        previous is not null && previous.TotalTimeout == NormalizeTotal(totalTimeout) && OptionsEquality.AreEqual(previous.Options, options)
            ? previous
            : new HttpRetryPolicy(instanceName, options.CloneHttp(), totalTimeout, timeProvider, telemetry, source);

    public static TimeLimiter BuildTimeLimiter(string instanceName, TimeLimiterOptions options, TimeLimiter? previous, TimeProvider timeProvider) =>
        previous is not null && previous.TimeoutDuration == options.TimeoutDuration && previous.CancelRunningTask == options.CancelRunningTask
            ? previous
            : new TimeLimiter(instanceName, options, timeProvider);

    public static BulkheadHolder BuildBulkhead(string instanceName, BulkheadOptions options, BulkheadHolder? previous, TimeProvider timeProvider)
    {
        if (previous is not null
            && previous.Options.MaxWaitDuration == options.MaxWaitDuration && previous.Options.FairCallHandlingEnabled == options.FairCallHandlingEnabled)
        {
            if (previous.Options.MaxConcurrentCalls == options.MaxConcurrentCalls)
            {
                return previous;
            }

            previous.Bulkhead.ChangeMaxConcurrentCalls(options.MaxConcurrentCalls);
            return new BulkheadHolder(previous.Bulkhead, options.Clone());
        }

        return new BulkheadHolder(new Bulkhead(instanceName, options, timeProvider), options.Clone());
    }

    public static RequestRateLimiter BuildRateLimiter(string instanceName, RequestRateLimiterOptions options, RequestRateLimiter? previous, TimeProvider timeProvider)
    {
        if (previous is not null && previous.LimitRefreshPeriod == options.LimitRefreshPeriod)
        {
            if (previous.LimitForPeriod != options.LimitForPeriod)
            {
                previous.ChangeLimitForPeriod(options.LimitForPeriod);
            }

            if (previous.TimeoutDuration != options.TimeoutDuration)
            {
                previous.ChangeTimeoutDuration(options.TimeoutDuration);
            }

            return previous;
        }

        return new RequestRateLimiter(instanceName, options, timeProvider);
    }

    private static TimeSpan? NormalizeTotal(TimeSpan? total) => total is { } t && t != Timeout.InfiniteTimeSpan ? t : null;

    private static void CarryState(CircuitBreakerState state, CircuitBreaker breaker)
    {
        switch (state)
        {
            case CircuitBreakerState.Open:
                breaker.TransitionToOpenState();
                break;
            case CircuitBreakerState.HalfOpen:
                breaker.TransitionToOpenState();
                breaker.TransitionToHalfOpenState();
                break;
            case CircuitBreakerState.ForcedOpen:
                breaker.TransitionToForcedOpenState();
                break;
            case CircuitBreakerState.Disabled:
                breaker.TransitionToDisabledState();
                break;
            case CircuitBreakerState.MetricsOnly:
                breaker.TransitionToMetricsOnlyState();
                break;
            default:
                break;
        }
    }
}

/// <summary>A bulkhead with the options it was last set to.</summary>
internal sealed record BulkheadHolder(Bulkhead Bulkhead, BulkheadOptions Options);
