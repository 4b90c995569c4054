namespace Resilience;

/// <summary>The defaults and limits of <see cref="BulkheadOptions"/>, shared by options, validation, docs and tests.</summary>
internal static class BulkheadConstants
{
    public const int DefaultMaxConcurrentCalls = 25;
    public const bool DefaultFairCallHandlingEnabled = true;

    public static readonly TimeSpan DefaultMaxWaitDuration = TimeSpan.Zero;

    /// <summary>The longest wait a <see cref="TimeProvider"/> timer accepts (2^32 − 2 ms, about 49.7 days).</summary>
    public static readonly TimeSpan MaximumWait = TimeSpan.FromMilliseconds(uint.MaxValue - 1);
}
