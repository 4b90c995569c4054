using System.Collections.Concurrent;

namespace Resilience.Routing.Internal;

/// <summary>What a client's <see cref="EndpointHedgingHandler"/> needs: its options, the clock, the telemetry and the latencies per service, which outlive the handler.</summary>
internal sealed class HedgingSettings(EndpointHedgingOptions options, TimeProvider time, HedgingTelemetry telemetry, ConcurrentDictionary<string, LatencyWindow> latencies)
{
    public TimeSpan Delay { get; } = options.Delay;

    public double? DelayPercentile { get; } = options.DelayPercentile;

    public int MaxHedgedAttempts { get; } = options.MaxHedgedAttempts;

    public TimeProvider Time { get; } = time;

    public HedgingTelemetry Telemetry { get; } = telemetry;

    /// <summary>Gets the window of <paramref name="service"/> when the delay is a percentile, else <see langword="null"/>.</summary>
    public LatencyWindow? Window(string service) =>
        DelayPercentile is null ? null : latencies.GetOrAdd(service, static _ => new LatencyWindow());

    /// <summary>The delay before the next hedged attempt of a request to the service of <paramref name="window"/>.</summary>
    public TimeSpan DelayFor(LatencyWindow? window) =>
        window is null || DelayPercentile is not double percentile ? Delay : window.Delay(percentile, Delay);
}
