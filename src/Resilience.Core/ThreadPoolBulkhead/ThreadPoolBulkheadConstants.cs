namespace Resilience;

/// <summary>The defaults and limits of <see cref="ThreadPoolBulkheadOptions"/>, shared by options, validation, docs and tests.</summary>
internal static class ThreadPoolBulkheadConstants
{
    public const int DefaultQueueCapacity = 100;
    public const bool DefaultFlowExecutionContext = true;

    /// <summary>The largest thread count accepted: every worker is an operating-system thread, so larger values are typos.</summary>
    public const int MaxThreads = 32_767;

    /// <summary>The default keep-alive of threads above the core size, as Resilience4j: 20 ms.</summary>
    public static readonly TimeSpan DefaultKeepAliveDuration = TimeSpan.FromMilliseconds(20);

    /// <summary>The longest keep-alive a <see cref="TimeProvider"/> timer accepts (2^32 − 2 ms, about 49.7 days).</summary>
    public static readonly TimeSpan MaximumKeepAliveDuration = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    /// <summary>How long <see cref="ThreadPoolBulkhead.Dispose"/> waits for running tasks, as Resilience4j's <c>close()</c>: 5 s of wall-clock time.</summary>
    public static readonly TimeSpan DisposeTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Gets the default core size: one less than the processor count, and at least 1.</summary>
    public static int DefaultCoreThreadPoolSize => Math.Max(Environment.ProcessorCount - 1, 1);

    /// <summary>Gets the default maximum size: the processor count.</summary>
    public static int DefaultMaxThreadPoolSize => Environment.ProcessorCount;
}
