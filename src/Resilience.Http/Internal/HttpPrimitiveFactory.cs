using Resilience.DependencyInjection;
using Resilience.Http.Telemetry;

namespace Resilience.Http.Internal;

/// <summary>Builds a primitive from options, reusing the previous one when a reload changed nothing that matters to it.</summary>
/// <remarks>
/// The reload rules are those of <see cref="ResilienceReload"/>, shared with the registries of <c>AddResilience</c>:
/// equal options keep the instance; a breaker keeps its state when its window did not change (per-authority breakers
/// start again, closed); a bulkhead or rate limiter changes its limit in place; anything else is built anew, and
/// calls in flight finish on the old one. Every <c>name</c> is the primitive's name in its registry.
/// </remarks>
internal static class HttpPrimitiveFactory
{
    public static BreakerSet BuildBreakers(string name, HttpCircuitBreakerOptions options, BreakerSet? previous, TimeProvider timeProvider)
    {
        if (previous is not null && ResilienceReload.AreEqual(previous.Options, options))
        {
            return previous;
        }

        var next = new BreakerSet(name, options.CloneHttp(), timeProvider);
        if (previous?.Single is { } old && next.Single is { } fresh)
        {
            ResilienceReload.CarryState(old, previous.Options, fresh, options);
        }

        return next;
    }

    public static HttpRetryPolicy BuildRetry(string name, HttpRetryOptions options, TimeSpan? totalTimeout, HttpRetryPolicy? previous, TimeProvider timeProvider, HttpResilienceTelemetry telemetry, TelemetrySource source) =>
        previous is not null && previous.TotalTimeout == NormalizeTotal(totalTimeout) && ResilienceReload.AreEqual(previous.Options, options)
            ? previous
            : new HttpRetryPolicy(name, options.CloneHttp(), totalTimeout, timeProvider, telemetry, source);

    public static TimeLimiter BuildTimeLimiter(string name, TimeLimiterOptions options, TimeLimiter? previous, TimeProvider timeProvider) =>
        ResilienceReload.Rebuild(previous, name, options, timeProvider);

    public static BulkheadHolder BuildBulkhead(string name, BulkheadOptions options, BulkheadHolder? previous, TimeProvider timeProvider)
    {
        if (previous is not null && ResilienceReload.AreEqual(previous.Options, options))
        {
            return previous;
        }

        Bulkhead bulkhead = ResilienceReload.Rebuild(previous?.Bulkhead, previous?.Options, name, options, timeProvider);
        return new BulkheadHolder(bulkhead, new BulkheadOptions
        {
            MaxConcurrentCalls = options.MaxConcurrentCalls,
            MaxWaitDuration = options.MaxWaitDuration,
            FairCallHandlingEnabled = options.FairCallHandlingEnabled,
        });
    }

    public static RequestRateLimiter BuildRateLimiter(string name, RequestRateLimiterOptions options, RequestRateLimiter? previous, TimeProvider timeProvider) =>
        ResilienceReload.Rebuild(previous, name, options, timeProvider);

    private static TimeSpan? NormalizeTotal(TimeSpan? total) => total is { } t && t != Timeout.InfiniteTimeSpan ? t : null;
}

/// <summary>A bulkhead with the options it was last set to.</summary>
internal sealed record BulkheadHolder(Bulkhead Bulkhead, BulkheadOptions Options);
