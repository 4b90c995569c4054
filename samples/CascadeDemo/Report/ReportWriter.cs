using System.Globalization;
using System.Net;
using System.Text;

namespace CascadeDemo;

/// <summary>Renders a run as a self-contained HTML page.</summary>
/// <remarks>A minimal stand-in (a table of the per-phase figures) until the full report replaces this file.</remarks>
internal static class ReportWriter
{
    /// <summary>Renders <paramref name="run"/> as one HTML string.</summary>
    public static string Render(DemoRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Cascade demo</title>")
            .Append("<style>body{font-family:sans-serif}td,th{padding:2px 8px;text-align:right}</style></head><body>\n")
            .Append(CultureInfo.InvariantCulture, $"<h1>Cascade demo, {run.StartedAt:u}</h1><p>{run.RequestsPerSecond:0.#} requests/s to each chain.</p>\n")
            .Append("<table><tr><th>phase</th><th>chain</th><th>requests</th><th>success</th><th>fallback</th><th>error</th>")
            .Append("<th>p50 ms</th><th>p95 ms</th><th>p99 ms</th><th>max in flight</th></tr>\n");
        foreach (PhaseWindow phase in run.Phases)
        {
            foreach (ChainRun chain in new[] { run.Resilient, run.Plain })
            {
                PhaseStats s = DemoStatistics.ForPhase(chain, phase);
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{WebUtility.HtmlEncode(phase.Name)}</td><td>{WebUtility.HtmlEncode(chain.Name)}</td>")
                    .Append(CultureInfo.InvariantCulture, $"<td>{s.Requests}</td><td>{s.SuccessRate:P1}</td><td>{s.FallbackRate:P1}</td><td>{s.ErrorRate:P1}</td>")
                    .Append(CultureInfo.InvariantCulture, $"<td>{s.P50Ms:0}</td><td>{s.P95Ms:0}</td><td>{s.P99Ms:0}</td><td>{s.MaxInFlight}</td></tr>\n");
            }
        }

        return html.Append("</table></body></html>\n").ToString();
    }
}
