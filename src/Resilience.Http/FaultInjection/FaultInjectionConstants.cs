namespace Resilience.Http;

/// <summary>The defaults and limits of <see cref="FaultInjectionOptions"/>, shared by options, validation, docs and tests.</summary>
internal static class FaultInjectionConstants
{
    public const double DefaultDelayPercentage = 0;
    public const double DefaultAbortPercentage = 0;
    public const int DefaultAbortStatusCode = 503;
    public const FaultAbortKind DefaultAbortKind = FaultAbortKind.StatusCode;
    public const bool DefaultEnabled = true;

    public const double MinimumPercentage = 0;
    public const double MaximumPercentage = 100;
    public const int MinimumAbortStatusCode = 200;
    public const int MaximumAbortStatusCode = 599;

    public static readonly TimeSpan DefaultDelayDuration = TimeSpan.Zero;

    /// <summary>The longest wait a <see cref="TimeProvider"/> timer accepts (2^32 − 2 ms, about 49.7 days).</summary>
    public static readonly TimeSpan MaximumDelay = TimeSpan.FromMilliseconds(uint.MaxValue - 1);
}
