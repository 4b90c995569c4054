namespace Resilience;

/// <summary>The defaults and limits of <see cref="TimeLimiterOptions"/>, shared by options, validation, docs and tests.</summary>
internal static class TimeLimiterConstants
{
    public const bool DefaultCancelRunningTask = true;

    /// <summary>The size of the per-limiter pool of cancellation sources, and of each per-result-type pool of races.</summary>
    public const int PoolSize = 32;

    /// <summary>
    /// The size of the pool of shareable scopes that every limiter sharing scopes uses once its thread's idle slots
    /// are taken: the per-limiter pools it replaces, summed over a few limiters.
    /// </summary>
    public const int SharedPoolSize = 128;

    public static readonly TimeSpan DefaultTimeoutDuration = TimeSpan.FromSeconds(1);

    /// <summary>The shortest timeout: timers have a resolution of one millisecond.</summary>
    public static readonly TimeSpan MinimumTimeout = TimeSpan.FromMilliseconds(1);

    /// <summary>The longest timeout a <see cref="TimeProvider"/> timer accepts (2^32 − 2 ms, about 49.7 days).</summary>
    public static readonly TimeSpan MaximumTimeout = TimeSpan.FromMilliseconds(uint.MaxValue - 1);
}
