using Microsoft.Extensions.Time.Testing;

namespace Resilience.Tests.RateLimiter;

/// <summary>Limiters on a fake clock: 10 permits per second and a 5 s timeout unless told otherwise.</summary>
internal static class RateLimiterTestSupport
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    public static RequestRateLimiter Create(
        FakeTimeProvider time,
        int limit = 10,
        TimeSpan? period = null,
        TimeSpan? timeout = null,
        Func<object?, Exception?, bool>? drain = null) =>
        new("test", Options(limit, period, timeout, drain), time);

    public static RequestRateLimiterOptions Options(int limit = 10, TimeSpan? period = null, TimeSpan? timeout = null, Func<object?, Exception?, bool>? drain = null) => new()
    {
        LimitForPeriod = limit,
        LimitRefreshPeriod = period ?? Period,
        TimeoutDuration = timeout ?? TimeSpan.FromSeconds(5),
        DrainPermissionsOnResult = drain,
    };

    public static int Available(this RequestRateLimiter limiter) => limiter.GetMetrics().AvailablePermissions;

    public static void Exhaust(this RequestRateLimiter limiter)
    {
        while (limiter.TryAcquirePermission())
        {
        }
    }

    /// <summary>Waits (without sleeping on a timer) until <paramref name="condition"/> holds; fails after a generous bound.</summary>
    public static void SpinUntil(Func<bool> condition) =>
        SpinWait.SpinUntil(condition, TimeSpan.FromSeconds(30)).Should().BeTrue("the condition should hold eventually");
}
