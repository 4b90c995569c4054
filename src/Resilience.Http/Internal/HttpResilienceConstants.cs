namespace Resilience.Http;

/// <summary>The defaults of the HTTP integration, where they differ from or add to Resilience4j's.</summary>
internal static class HttpResilienceConstants
{
    /// <summary>The longest wait a .NET timer takes, about 49.7 days: the upper bound of the HTTP durations, as of the primitives' own.</summary>
    public static readonly TimeSpan MaximumWait = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    public static readonly TimeSpan DefaultTotalTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultAttemptTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan DefaultMaxRetryAfterDelay = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultAuthorityIdleTimeout = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan MinimumAuthorityIdleTimeout = TimeSpan.FromSeconds(1);

    /// <summary>The suffix of the total time limiter's instance name in the standard composition.</summary>
    public const string TotalTimeLimiterSuffix = "-total";
}
