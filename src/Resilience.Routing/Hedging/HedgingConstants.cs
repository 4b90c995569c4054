namespace Resilience.Routing;

/// <summary>The defaults and bounds of <see cref="EndpointHedgingOptions"/>.</summary>
internal static class HedgingConstants
{
    /// <summary>Polly's default hedging delay.</summary>
    public static readonly TimeSpan DefaultDelay = TimeSpan.FromSeconds(2);

    public static readonly TimeSpan MaxDelay = TimeSpan.FromHours(1);

    public const int DefaultMaxHedgedAttempts = 1;

    /// <summary>Polly's bound.</summary>
    public const int MaxHedgedAttempts = 10;

    /// <summary>The latencies kept per service for <see cref="EndpointHedgingOptions.DelayPercentile"/> (a power of 2).</summary>
    public const int LatencySamples = 128;

    /// <summary>The latencies needed before the percentile replaces <see cref="EndpointHedgingOptions.Delay"/>.</summary>
    public const int MinLatencySamples = 20;

    /// <summary>New latencies after which the percentile is computed again.</summary>
    public const int PercentileRefresh = 8;
}
