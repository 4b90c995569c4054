namespace CascadeDemo;

/// <summary>The share of a service's traffic that one of its instances received during a span of time.</summary>
/// <param name="Endpoint">The instance, such as <c>D1</c>.</param>
/// <param name="Requests">The requests it received.</param>
/// <param name="Share">Its share of the requests all instances of its service received, from 0 to 1.</param>
internal sealed record EndpointShare(string Endpoint, int Requests, double Share);

/// <summary>Per-instance traffic shares, as the instances counted their requests, and the ejections of a span.</summary>
internal static class TrafficStatistics
{
    /// <summary>The services a chain's instances belong to, in the order the chain started them (Warehouse first).</summary>
    public static IReadOnlyList<string> Services(ChainRun chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        return [.. chain.EndpointTraffic.Select(e => e.Service).Distinct()];
    }

    /// <summary>The share of each instance of <paramref name="service"/> in the requests that arrived from <paramref name="from"/> to <paramref name="to"/> seconds.</summary>
    public static IReadOnlyList<EndpointShare> Shares(ChainRun chain, string service, double from, double to)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var counts = new List<(string Name, int Count)>();
        foreach (EndpointTraffic endpoint in chain.EndpointTraffic.Where(e => e.Service == service))
        {
            counts.Add((endpoint.Name, CountBetween(endpoint.Arrivals, from, to)));
        }

        int total = counts.Sum(c => c.Count);
        return [.. counts.Select(c => new EndpointShare(c.Name, c.Count, total == 0 ? 0 : (double)c.Count / total))];
    }

    /// <summary>The ejections of the chain's instances that overlap the span from <paramref name="from"/> to <paramref name="to"/> seconds.</summary>
    public static IReadOnlyList<EjectionInterval> Ejections(ChainRun chain, double from, double to)
    {
        ArgumentNullException.ThrowIfNull(chain);
        return [.. chain.EjectionIntervals.Where(e => e.StartSeconds < to && e.EndSeconds > from)];
    }

    // Arrivals are sorted: two binary searches.
    private static int CountBetween(IReadOnlyList<double> sorted, double from, double to) => LowerBound(sorted, to) - LowerBound(sorted, from);

    private static int LowerBound(IReadOnlyList<double> sorted, double value)
    {
        int low = 0, high = sorted.Count;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (sorted[middle] < value)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
