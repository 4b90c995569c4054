namespace Resilience;

/// <summary>The defaults and limits of <see cref="RequestRateLimiterOptions"/>, shared by options, validation, docs and tests.</summary>
internal static class RequestRateLimiterConstants
{
    public const int DefaultLimitForPeriod = 50;

    /// <summary>500 ns, as in Resilience4j: 5 ticks of 100 ns.</summary>
    public static readonly TimeSpan DefaultLimitRefreshPeriod = TimeSpan.FromTicks(5);

    public static readonly TimeSpan DefaultTimeoutDuration = TimeSpan.FromSeconds(5);

    /// <summary>The shortest period counted on the coarse monotonic clock when the limiter uses <see cref="TimeProvider.System"/>.</summary>
    public static readonly TimeSpan CoarseClockMinimumPeriod = TimeSpan.FromSeconds(1);

    /// <summary>The shortest refresh period: one tick (100 ns), the resolution of <see cref="TimeSpan"/>.</summary>
    public static readonly TimeSpan MinimumLimitRefreshPeriod = TimeSpan.FromTicks(1);

    /// <summary>The longest refresh period or timeout: the longest wait a <see cref="TimeProvider"/> timer accepts (2^32 − 2 ms, about 49.7 days).</summary>
    public static readonly TimeSpan MaximumDuration = TimeSpan.FromMilliseconds(uint.MaxValue - 1);
}
