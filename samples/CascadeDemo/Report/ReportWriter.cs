using System.Text;

namespace CascadeDemo;

/// <summary>Writes a run of the cascade demo as one self-contained HTML page: summary, per-phase table and charts.</summary>
/// <remarks>
/// The page opens from disk in any browser with no server: CSS is inline, charts are inline SVG drawn here, and it
/// references no script, font, image or URL. Every number uses the invariant culture and every text is escaped.
/// </remarks>
internal static class ReportWriter
{
    /// <summary>Renders the report of <paramref name="run"/>.</summary>
    /// <returns>A complete HTML5 document.</returns>
    public static string Render(DemoRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        double end = ReportSeries.EndSeconds(run);
        ChartScale latency = ReportCharts.LatencyScale(run);

        var html = new StringBuilder(256 * 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>Cascade demo: ").Append(ReportFormat.Escape(ReportFormat.Timestamp(run.StartedAt))).Append("</title>\n")
            .Append("<style>").Append(ReportStyles.Css).Append("</style>\n</head>\n<body>\n<main>\n");
        Header(html, run);
        ReportTable.Write(html, run);

        html.Append("<h2>Latency of Order (A)</h2>\n");
        Legend(html, ("swatch-line p50", "p50"), ("swatch-line p99", "p99"), ("swatch-dash attempt-timeout", "per-attempt time limit"));
        BreakerLegend(html);
        Figure(html, "Resilient chain", ReportCharts.Latency(run, run.Resilient, latency, end, bands: true));
        Figure(html, "Plain chain", ReportCharts.Latency(run, run.Plain, latency, end, bands: false));

        html.Append("<h2>Outcomes per second</h2>\n");
        Legend(html, ("swatch key-success", "success"), ("swatch key-fallback", "fallback"), ("swatch key-error", "error"));
        Figure(html, "Resilient chain", ReportCharts.Outcomes(run, run.Resilient, end, bands: true));
        Figure(html, "Plain chain", ReportCharts.Outcomes(run, run.Plain, end, bands: false));

        html.Append("<h2>Requests in flight</h2>\n");
        Legend(html, ("swatch-line inflight-resilient", "resilient"), ("swatch-line inflight-plain", "plain"));
        Figure(html, "Both chains", ReportCharts.InFlight(run, end));

        html.Append("<h2>Traffic per instance</h2>\n<p class=\"intro\">Each instance's share of its service's requests per second, ")
            .Append("as the instances counted them. A band above a chart (and a dark overlay) is an ejection by the client's ")
            .Append("outlier detection: the instance got no traffic until its ejection time was up (unless too few ")
            .Append("instances were left, when the panic threshold spreads the traffic over all of them).</p>\n");
        foreach (ChainRun chain in (ReadOnlySpan<ChainRun>)[run.Resilient, run.Plain])
        {
            foreach ((string caption, IReadOnlyList<string> endpoints, string svg) in ReportTraffic.Charts(run, chain, end))
            {
                Legend(html, [.. endpoints.Select((name, i) => ("swatch " + ReportTraffic.EndpointClass(i), name))]);
                Figure(html, caption, svg);
            }
        }

        html.Append("<footer>Requests are grouped by the second they were sent in. Hover a bar or band for its figures.</footer>\n")
            .Append("</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void Header(StringBuilder html, DemoRun run)
    {
        html.Append("<h1>Cascade demo: Order → Inventory → Pricing → Warehouse</h1>\n<p class=\"meta\">Ran ")
            .Append(ReportFormat.Escape(ReportFormat.Timestamp(run.StartedAt))).Append(" · load <b>")
            .Append(ReportFormat.Number(run.RequestsPerSecond)).Append(" requests/s</b> to each chain · per-attempt time limit <b>")
            .Append(ReportFormat.Escape(ReportFormat.Duration(run.AttemptTimeout))).Append("</b> · ")
            .Append(ReportFormat.Integer(run.Phases.Count)).Append(" phases</p>\n")
            .Append("<p class=\"intro\">Both chains get the same open-loop load while one of the three Warehouse (D) ")
            .Append("instances fails, then all of them turn slow, fail half the time, hang, and recover; Pricing (C) v2, ")
            .Append("the resilient chain's canary, gets 5 % of Inventory's calls throughout. When one D instance fails, ")
            .Append("Pricing's client ejects it and retries its 503s on another instance, so the resilient chain answers in ")
            .Append("full while the plain chain's round robin keeps sending it a third of the requests. ")
            .Append("<b>What to look at:</b> when D hangs, the resilient chain's breaker ")
            .Append("(on Inventory's client to Pricing) opens, Order answers at once from its fallback and latency stays ")
            .Append("in milliseconds; after D recovers, the breaker probes in half-open and closes. The plain chain's ")
            .Append("latency climbs to D's hang, it gives no answers, and its requests in flight pile up: the cascade the ")
            .Append("library prevents.</p>\n");
        if (run.MutualTls is { } mutualTls)
        {
            html.Append("<p class=\"intro\"><b>Mutual TLS:</b> every service has its own SPIFFE identity and requires client ")
                .Append("certificates; every client expects the next service's SPIFFE ID; Pricing (C) accepts only Inventory (B).</p>\n")
                .Append("<p class=\"intro\"><b>").Append(ReportFormat.Escape(mutualTls.Line)).Append("</b> ")
                .Append(ReportFormat.Escape(mutualTls.Detail)).Append("</p>\n");
        }
    }

    private static void Legend(StringBuilder html, params (string Swatch, string Label)[] items)
    {
        html.Append("<div class=\"legend\">");
        foreach ((string swatch, string label) in items)
        {
            html.Append("<span><i class=\"").Append(swatch).Append("\"></i>").Append(ReportFormat.Escape(label)).Append("</span>");
        }

        html.Append("</div>\n");
    }

    private static void BreakerLegend(StringBuilder html) =>
        html.Append("<div class=\"legend\"><span class=\"legend-title\">B's breaker (strip above the resilient charts):</span>")
            .Append("<span><i class=\"swatch key-closed\"></i>Closed</span><span><i class=\"swatch key-open\"></i>Open</span>")
            .Append("<span><i class=\"swatch key-halfopen\"></i>HalfOpen</span></div>\n");

    private static void Figure(StringBuilder html, string caption, string svg) =>
        html.Append("<figure><figcaption>").Append(ReportFormat.Escape(caption)).Append("</figcaption>\n")
            .Append(svg).Append("\n</figure>\n");
}
