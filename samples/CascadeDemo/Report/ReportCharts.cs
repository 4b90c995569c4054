namespace CascadeDemo;

/// <summary>The report's charts over time: latency, outcomes and requests in flight, all on one time axis.</summary>
internal static class ReportCharts
{
    private const double LatencyHeight = 300;
    private const double OutcomeHeight = 220;
    private const double InFlightHeight = 260;

    /// <summary>The latency of A per second sent, p50 and p99, on a logarithmic axis shared by both chains' charts.</summary>
    /// <remarks>The axis is logarithmic because the plain chain waits tens of seconds while the resilient one answers in
    /// milliseconds; on a linear axis the resilient chain would be a flat line at zero.</remarks>
    public static string Latency(DemoRun run, ChainRun chain, ChartScale scale, double endSeconds, bool bands)
    {
        IReadOnlyList<SecondBucket> buckets = ReportSeries.BySecond(chain, endSeconds);
        var chart = new SvgChart("chart-latency", "Latency of Order (A), " + chain.Name + " chain", LatencyHeight, endSeconds, scale);
        chart.Phases(run.Phases);
        if (bands)
        {
            chart.Bands(ReportSeries.BreakerIntervals(chain, endSeconds), background: true);
        }

        chart.Axes("latency of A");
        if (run.AttemptTimeout > TimeSpan.Zero)
        {
            chart.Threshold(run.AttemptTimeout.TotalMilliseconds, "attempt-timeout", "per-attempt limit " + ReportFormat.Duration(run.AttemptTimeout));
        }

        // Points sit in the middle of their second, so a line and the bars of the outcome chart below line up.
        chart.Path(buckets.Select(b => b.Count == 0 ? ((double, double)?)null : (b.Second + 0.5, b.P99Ms)), "line p99");
        chart.Path(buckets.Select(b => b.Count == 0 ? ((double, double)?)null : (b.Second + 0.5, b.P50Ms)), "line p50");
        chart.PhaseSeparators(run.Phases);
        if (chain.Requests.Count == 0)
        {
            chart.Message("no requests");
        }

        return chart.ToString();
    }

    /// <summary>The logarithmic latency axis both latency charts share, so their heights compare directly.</summary>
    public static ChartScale LatencyScale(DemoRun run)
    {
        double min = double.MaxValue, max = run.AttemptTimeout.TotalMilliseconds;
        foreach (ChainRun chain in (ReadOnlySpan<ChainRun>)[run.Resilient, run.Plain])
        {
            foreach (RequestSample request in chain.Requests)
            {
                if (request.LatencyMs > 0)
                {
                    min = Math.Min(min, request.LatencyMs);
                }

                max = Math.Max(max, request.LatencyMs);
            }
        }

        // A floor of 0.1 ms: below that, latencies are clock noise and would only stretch the axis.
        return ChartScale.Log(Math.Max(0.1, min == double.MaxValue ? 1 : min), Math.Max(max, 10), ReportFormat.LatencyTick);
    }

    /// <summary>The share of success, fallback and error per second sent, as stacked bars.</summary>
    public static string Outcomes(DemoRun run, ChainRun chain, double endSeconds, bool bands)
    {
        IReadOnlyList<SecondBucket> buckets = ReportSeries.BySecond(chain, endSeconds);
        var scale = ChartScale.Linear(100, v => ReportFormat.Number(v) + " %");
        var chart = new SvgChart("chart-outcomes", "Outcomes of requests to Order (A), " + chain.Name + " chain", OutcomeHeight, endSeconds, scale);
        chart.Phases(run.Phases);
        if (bands)
        {
            // No background bands here: the bars fill the plot and would hide them; the lane above the plot shows the state.
            chart.Bands(ReportSeries.BreakerIntervals(chain, endSeconds), background: false);
        }

        chart.Axes("share of requests");
        foreach (SecondBucket b in buckets)
        {
            if (b.Count == 0)
            {
                continue;
            }

            // A small gap between seconds keeps neighbouring bars apart at any width.
            double from = b.Second + 0.06, to = b.Second + 0.94;
            double success = 100.0 * b.Success / b.Count, fallback = 100.0 * b.Fallback / b.Count;
            string title = ReportFormat.Integer(b.Second) + " s: " + ReportFormat.Integer(b.Count) + " requests, "
                + ReportFormat.Integer(b.Success) + " success, " + ReportFormat.Integer(b.Fallback) + " fallback, "
                + ReportFormat.Integer(b.Error) + " error";
            StackedBar(chart, from, to, 0, success, "bar bar-success", title);
            StackedBar(chart, from, to, success, success + fallback, "bar bar-fallback", title);
            StackedBar(chart, from, to, success + fallback, 100, "bar bar-error", title);
        }

        chart.PhaseSeparators(run.Phases);
        if (chain.Requests.Count == 0)
        {
            chart.Message("no requests");
        }

        return chart.ToString();
    }

    /// <summary>Requests to A in flight over time, both chains on one linear axis.</summary>
    public static string InFlight(DemoRun run, double endSeconds)
    {
        int max = 0;
        foreach (ChainRun chain in (ReadOnlySpan<ChainRun>)[run.Resilient, run.Plain])
        {
            foreach (InFlightSample sample in chain.InFlight)
            {
                max = Math.Max(max, sample.InFlight);
            }
        }

        var scale = ChartScale.Linear(Math.Max(max, 5), ReportFormat.Number);
        var chart = new SvgChart("chart-inflight", "Requests to Order (A) in flight, both chains", InFlightHeight, endSeconds, scale);
        chart.Phases(run.Phases);
        chart.Axes("requests in flight");
        chart.Path(StepPoints(run.Plain.InFlight), "line inflight-plain");
        chart.Path(StepPoints(run.Resilient.InFlight), "line inflight-resilient");
        chart.PhaseSeparators(run.Phases);
        if (run.Plain.InFlight.Count == 0 && run.Resilient.InFlight.Count == 0)
        {
            chart.Message("no samples");
        }

        return chart.ToString();
    }

    private static void StackedBar(SvgChart chart, double from, double to, double low, double high, string cssClass, string title)
    {
        if (high > low)
        {
            chart.Bar(from, to, low, high, cssClass, title);
        }
    }

    // A count holds until the next sample, so the line steps rather than slopes between samples.
    private static IEnumerable<(double, double)?> StepPoints(IReadOnlyList<InFlightSample> samples)
    {
        for (int i = 0; i < samples.Count; i++)
        {
            if (i > 0)
            {
                yield return (samples[i].AtSeconds, samples[i - 1].InFlight);
            }

            yield return (samples[i].AtSeconds, samples[i].InFlight);
        }
    }
}
