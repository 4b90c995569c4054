namespace CascadeDemo;

/// <summary>The figures of one chain during one phase.</summary>
/// <param name="Phase">The phase's name.</param>
/// <param name="Requests">Requests sent during the phase.</param>
/// <param name="SuccessRate">The share of them with a full answer, from 0 to 1.</param>
/// <param name="FallbackRate">The share answered from Order's fallback, from 0 to 1.</param>
/// <param name="ErrorRate">The share that failed or got no answer, from 0 to 1.</param>
/// <param name="P50Ms">The median latency, in milliseconds.</param>
/// <param name="P95Ms">The 95th percentile latency, in milliseconds.</param>
/// <param name="P99Ms">The 99th percentile latency, in milliseconds.</param>
/// <param name="MaxInFlight">The most requests in flight at any sample during the phase.</param>
internal sealed record PhaseStats(string Phase, int Requests, double SuccessRate, double FallbackRate, double ErrorRate, double P50Ms, double P95Ms, double P99Ms, int MaxInFlight);

/// <summary>Per-phase figures of a chain: rates, latency percentiles and requests in flight.</summary>
internal static class DemoStatistics
{
    /// <summary>Computes the figures of the requests a chain sent during <paramref name="phase"/> (by send time).</summary>
    public static PhaseStats ForPhase(ChainRun chain, PhaseWindow phase)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(phase);
        var latencies = new List<double>();
        int success = 0, fallback = 0, error = 0;
        foreach (RequestSample request in chain.Requests)
        {
            if (request.StartSeconds < phase.StartSeconds || request.StartSeconds >= phase.EndSeconds)
            {
                continue;
            }

            latencies.Add(request.LatencyMs);
            switch (request.Outcome)
            {
                case RequestOutcome.Success: success++; break;
                case RequestOutcome.Fallback: fallback++; break;
                default: error++; break;
            }
        }

        int maxInFlight = 0;
        foreach (InFlightSample sample in chain.InFlight)
        {
            if (sample.AtSeconds >= phase.StartSeconds && sample.AtSeconds < phase.EndSeconds)
            {
                maxInFlight = Math.Max(maxInFlight, sample.InFlight);
            }
        }

        latencies.Sort();
        int n = latencies.Count;
        return new PhaseStats(
            phase.Name,
            n,
            Share(success, n),
            Share(fallback, n),
            Share(error, n),
            Percentile(latencies, 50),
            Percentile(latencies, 95),
            Percentile(latencies, 99),
            maxInFlight);
    }

    /// <summary>The nearest-rank percentile of sorted values: the smallest value with at least <paramref name="percent"/>% of the values at or below it; 0 when there are none.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double percent)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        ArgumentOutOfRangeException.ThrowIfLessThan(percent, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        if (sorted.Count == 0)
        {
            return 0;
        }

        int rank = (int)Math.Ceiling(percent / 100 * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }

    private static double Share(int count, int total) => total == 0 ? 0 : (double)count / total;
}
