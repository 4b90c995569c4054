namespace Resilience.Routing;

/// <summary>
/// When <c>AddEndpointHedging</c> sends a second attempt of an idempotent request to another endpoint while the first
/// is still pending, and how many; Polly's hedging defaults.
/// </summary>
public sealed class EndpointHedgingOptions
{
    /// <summary>Gets or sets how long an attempt may be pending before the next hedged attempt is sent, from 0 to 1 hour.</summary>
    /// <value>The default value is 2 seconds (Polly's). With <see cref="DelayPercentile"/>, the delay used until enough latencies are recorded.</value>
    /// <remarks><see cref="TimeSpan.Zero"/> sends every attempt at once. A failed attempt (an exception, a 5xx, 408 or
    /// 429 response) sends the next one at once, without waiting.</remarks>
    public TimeSpan Delay { get; set; } = HedgingConstants.DefaultDelay;

    /// <summary>
    /// Gets or sets the percentile of the recent latencies of the destination service that is the delay, above 0 and at
    /// most 100, such as 95; <see langword="null"/> uses the fixed <see cref="Delay"/>.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    /// <remarks>The latencies are those of the last 128 attempts that got a response, per service; until 20 are
    /// recorded, <see cref="Delay"/> is used.</remarks>
    public double? DelayPercentile { get; set; }

    /// <summary>Gets or sets the most hedged attempts sent besides the first, from 1 to 10.</summary>
    /// <value>The default value is 1.</value>
    public int MaxHedgedAttempts { get; set; } = HedgingConstants.DefaultMaxHedgedAttempts;
}
