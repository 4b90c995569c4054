using Resilience;

namespace CascadeDemo;

/// <summary>The figures of the requests sent during one second of the run.</summary>
/// <param name="Second">The bucket's start, in whole seconds since the run started.</param>
/// <param name="Count">Requests sent in it.</param>
/// <param name="P50Ms">Their median latency.</param>
/// <param name="P99Ms">Their 99th percentile latency.</param>
/// <param name="Success">How many got a full answer.</param>
/// <param name="Fallback">How many were answered from the fallback.</param>
/// <param name="Error">How many failed.</param>
internal sealed record SecondBucket(int Second, int Count, double P50Ms, double P99Ms, int Success, int Fallback, int Error);

/// <summary>A span of time during which B's breaker stayed in one state.</summary>
/// <param name="StartSeconds">When it entered the state.</param>
/// <param name="EndSeconds">When it left, or the end of the run.</param>
/// <param name="State">The state.</param>
internal sealed record BreakerInterval(double StartSeconds, double EndSeconds, CircuitBreakerState State);

/// <summary>Turns a chain's raw samples into the series the charts draw.</summary>
internal static class ReportSeries
{
    /// <summary>The end of the time axis shared by every chart: the end of the last phase, or of the data if it runs later.</summary>
    public static double EndSeconds(DemoRun run)
    {
        double end = 0;
        foreach (PhaseWindow phase in run.Phases)
        {
            end = Math.Max(end, phase.EndSeconds);
        }

        foreach (ChainRun chain in (ReadOnlySpan<ChainRun>)[run.Resilient, run.Plain])
        {
            foreach (RequestSample request in chain.Requests)
            {
                end = Math.Max(end, Math.Ceiling(request.StartSeconds + 1e-9));
            }

            foreach (InFlightSample sample in chain.InFlight)
            {
                end = Math.Max(end, sample.AtSeconds);
            }
        }

        // An empty run still gets an axis, so the page renders and says there is nothing to show.
        return end > 0 ? end : 1;
    }

    /// <summary>Groups requests by the second they were sent in (by send time, as the per-phase table does).</summary>
    /// <returns>One bucket per second from 0 to <paramref name="endSeconds"/>; a second with no requests has a count of 0.</returns>
    public static IReadOnlyList<SecondBucket> BySecond(ChainRun chain, double endSeconds)
    {
        int count = Math.Max(1, (int)Math.Ceiling(endSeconds));
        var latencies = new List<double>[count];
        var outcomes = new int[count, 3];
        foreach (RequestSample request in chain.Requests)
        {
            if (request.StartSeconds < 0 || double.IsNaN(request.StartSeconds))
            {
                continue;
            }

            int second = Math.Min(count - 1, (int)request.StartSeconds);
            (latencies[second] ??= []).Add(request.LatencyMs);
            outcomes[second, (int)request.Outcome]++;
        }

        var buckets = new SecondBucket[count];
        for (int i = 0; i < count; i++)
        {
            List<double> values = latencies[i] ?? [];
            values.Sort();
            buckets[i] = new SecondBucket(
                i,
                values.Count,
                DemoStatistics.Percentile(values, 50),
                DemoStatistics.Percentile(values, 99),
                outcomes[i, (int)RequestOutcome.Success],
                outcomes[i, (int)RequestOutcome.Fallback],
                outcomes[i, (int)RequestOutcome.Error]);
        }

        return buckets;
    }

    /// <summary>The breaker's timeline as back-to-back intervals, each lasting until the next change or <paramref name="endSeconds"/>.</summary>
    /// <remarks>A transition to the state already in force extends the current interval rather than starting a new one,
    /// so each drawn band is one visible state; empty intervals (two changes at the same instant) are dropped.</remarks>
    public static IReadOnlyList<BreakerInterval> BreakerIntervals(ChainRun chain, double endSeconds)
    {
        var ordered = chain.BreakerTimeline.OrderBy(t => t.AtSeconds).ToList();
        var intervals = new List<BreakerInterval>();
        for (int i = 0; i < ordered.Count; i++)
        {
            double start = Math.Max(0, ordered[i].AtSeconds);
            double end = Math.Min(endSeconds, i + 1 < ordered.Count ? ordered[i + 1].AtSeconds : endSeconds);
            if (end <= start)
            {
                continue;
            }

            if (intervals.Count > 0 && intervals[^1].State == ordered[i].State)
            {
                intervals[^1] = intervals[^1] with { EndSeconds = end };
                continue;
            }

            intervals.Add(new BreakerInterval(start, end, ordered[i].State));
        }

        return intervals;
    }
}
