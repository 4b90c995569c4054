using System.Text;

namespace CascadeDemo;

/// <summary>The per-phase table of the report: both chains side by side, one row per phase.</summary>
internal static class ReportTable
{
    /// <summary>The word that marks the phase in which Warehouse is down; its row is highlighted.</summary>
    /// <remarks>Matched within the phase name, ignoring case, so <c>D down</c> and <c>Warehouse down (hangs)</c> both count.</remarks>
    public const string DownMarker = "down";

    /// <summary>Appends the table to <paramref name="html"/>.</summary>
    public static void Write(StringBuilder html, DemoRun run)
    {
        html.Append("<h2>Per phase</h2>\n<table class=\"phases\">\n<colgroup><col class=\"phase\"></colgroup>\n<thead>\n<tr><th rowspan=\"2\" class=\"phase\">Phase</th>")
            .Append("<th colspan=\"8\" class=\"chain resilient\">Resilient</th><th colspan=\"8\" class=\"chain plain\">Plain</th></tr>\n<tr>");
        for (int i = 0; i < 2; i++)
        {
            html.Append("<th>Requests</th><th>Success</th><th>Fallback</th><th>Error</th><th>p50 ms</th><th>p95 ms</th>")
                .Append("<th>p99 ms</th><th class=\"last\">Max in flight</th>");
        }

        html.Append("</tr>\n</thead>\n<tbody>\n");
        foreach (PhaseWindow phase in run.Phases)
        {
            bool down = phase.Name.Contains(DownMarker, StringComparison.OrdinalIgnoreCase);
            html.Append(down ? "<tr class=\"phase-down\">" : "<tr>")
                .Append("<th class=\"phase\" scope=\"row\">").Append(ReportFormat.Escape(phase.Name))
                .Append("<small>").Append(ReportFormat.Escape(phase.Description)).Append("</small></th>");
            Cells(html, DemoStatistics.ForPhase(run.Resilient, phase));
            Cells(html, DemoStatistics.ForPhase(run.Plain, phase));
            html.Append("</tr>\n");
        }

        if (run.Phases.Count == 0)
        {
            html.Append("<tr><td colspan=\"17\" class=\"empty\">No phases.</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
    }

    private static void Cells(StringBuilder html, PhaseStats stats)
    {
        Cell(html, "requests", ReportFormat.Integer(stats.Requests));
        Cell(html, "success", ReportFormat.Percent(stats.SuccessRate));
        Cell(html, "fallback", ReportFormat.Percent(stats.FallbackRate));
        Cell(html, "error", ReportFormat.Percent(stats.ErrorRate));
        Cell(html, "p50", ReportFormat.Milliseconds(stats.P50Ms));
        Cell(html, "p95", ReportFormat.Milliseconds(stats.P95Ms));
        Cell(html, "p99", ReportFormat.Milliseconds(stats.P99Ms));
        Cell(html, "inflight last", ReportFormat.Integer(stats.MaxInFlight));
    }

    private static void Cell(StringBuilder html, string cssClass, string text) =>
        html.Append("<td class=\"").Append(cssClass).Append("\">").Append(ReportFormat.Escape(text)).Append("</td>");
}
