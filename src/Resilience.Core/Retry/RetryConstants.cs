namespace Resilience;

/// <summary>The defaults and limits of <see cref="RetryOptions"/>, shared by options, validation, docs and tests.</summary>
internal static class RetryConstants
{
    public const int DefaultMaxAttempts = 3;
    public const RetryBackoffType DefaultBackoffType = RetryBackoffType.Constant;
    public const double DefaultMultiplier = 1.5;
    public const double DefaultRandomizationFactor = 0.5;
    public const bool DefaultFailAfterMaxAttempts = false;

    public static readonly TimeSpan DefaultWaitDuration = TimeSpan.FromMilliseconds(500);

    /// <summary>The shortest cap a <see cref="RetryOptions.MaxWaitDuration"/> may set.</summary>
    public static readonly TimeSpan MinimumMaxWait = TimeSpan.FromMilliseconds(1);

    /// <summary>The longest wait a <see cref="TimeProvider"/> timer accepts (2^32 − 2 ms, about 49.7 days); longer waits are clamped to it.</summary>
    public static readonly TimeSpan MaximumWait = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    /// <summary><see cref="MaximumWait"/> in whole milliseconds.</summary>
    public const long MaximumWaitMilliseconds = uint.MaxValue - 1L;

    /// <summary>The default <see cref="RetryOptions.ConsumeResultBeforeRetryAttempt"/>: disposes a disposable result.</summary>
    /// <remarks>A retry that sees this very delegate disposes an <see cref="IAsyncDisposable"/> result asynchronously when it waits asynchronously.</remarks>
    public static readonly Action<int, object?> DisposeResult = static (_, result) => (result as IDisposable)?.Dispose();
}
