namespace CascadeDemo;

/// <summary>The report's traffic charts: each instance's share of its service's requests per second, with ejections as bands.</summary>
internal static class ReportTraffic
{
    private const double Height = 220;

    /// <summary>The most instances a service gets distinct colours for (<c>ep-0</c> to <c>ep-4</c>); more reuse them.</summary>
    public const int Colours = 5;

    /// <summary>One chart per service of <paramref name="chain"/> with more than one instance, with its caption and instance names.</summary>
    public static IEnumerable<(string Caption, IReadOnlyList<string> Endpoints, string Svg)> Charts(DemoRun run, ChainRun chain, double endSeconds)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(chain);
        foreach (string service in TrafficStatistics.Services(chain))
        {
            EndpointTraffic[] endpoints = [.. chain.EndpointTraffic.Where(e => e.Service == service)];
            if (endpoints.Length > 1)
            {
                yield return (service + ", " + chain.Name + " chain", [.. endpoints.Select(e => e.Name)], Chart(run, chain, service, endpoints, endSeconds));
            }
        }
    }

    /// <summary>The CSS class of the instance at <paramref name="index"/> of its service.</summary>
    public static string EndpointClass(int index) => "ep-" + ReportFormat.Integer(index % Colours);

    private static string Chart(DemoRun run, ChainRun chain, string service, EndpointTraffic[] endpoints, double endSeconds)
    {
        int seconds = Math.Max(1, (int)Math.Ceiling(endSeconds));
        var counts = new int[endpoints.Length, seconds];
        for (int e = 0; e < endpoints.Length; e++)
        {
            foreach (double arrival in endpoints[e].Arrivals)
            {
                if (arrival >= 0)
                {
                    counts[e, Math.Min(seconds - 1, (int)arrival)]++;
                }
            }
        }

        var scale = ChartScale.Linear(100, v => ReportFormat.Number(v) + " %");
        var chart = new SvgChart("chart-traffic", "Share of requests per instance of " + service + ", " + chain.Name + " chain", Height, endSeconds, scale);
        chart.Phases(run.Phases);
        chart.Axes("share of requests");
        for (int second = 0; second < seconds; second++)
        {
            int total = 0;
            for (int e = 0; e < endpoints.Length; e++)
            {
                total += counts[e, second];
            }

            if (total == 0)
            {
                continue;
            }

            string title = ReportFormat.Integer(second) + " s: " + string.Join(", ", endpoints.Select((ep, e) => ep.Name + " " + ReportFormat.Integer(counts[e, second])));
            double low = 0;
            for (int e = 0; e < endpoints.Length; e++)
            {
                double high = low + (100.0 * counts[e, second] / total);
                if (high > low)
                {
                    chart.Bar(second + 0.06, second + 0.94, low, high, "bar " + EndpointClass(e), title);
                }

                low = high;
            }
        }

        // Ejections on top of the bars: the lane names the instance and the reason, the overlay darkens the span.
        foreach (EjectionInterval ejection in chain.EjectionIntervals)
        {
            int index = Array.FindIndex(endpoints, e => e.Name == ejection.Endpoint);
            if (index >= 0)
            {
                string title = ejection.Endpoint + " ejected by " + ejection.Client + "'s client (" + ejection.Reason + "): " + ReportFormat.Number(ejection.StartSeconds)
                    + " s to " + ReportFormat.Number(ejection.EndSeconds) + " s";
                chart.LaneBand(ejection.StartSeconds, ejection.EndSeconds, "band band-ejected " + EndpointClass(index), title, "band-over");
            }
        }

        chart.PhaseSeparators(run.Phases);
        return chart.ToString();
    }
}
