using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using CascadeDemo;

namespace Resilience.Samples.Tests.Report;

public class ReportWriterTests
{
    // Five charts: latency and outcomes for each chain, and requests in flight for both.
    private const int ChartCount = 5;

    private static readonly ChainRun EmptyChain = new("plain", [], [], []);

    [Fact]
    public void Render_Realistic_OneSelfContainedDocument()
    {
        string html = ReportWriter.Render(SyntheticRun.Realistic());

        html.Should().StartWith("<!DOCTYPE html>").And.EndWith("</html>\n");
        html.Should().NotContainAny("http://", "https://", "src=", "href=", "<script", "@import", "url(", "<link");
        Regex.Count(html, "<html").Should().Be(1);
    }

    [Fact]
    public void Render_Realistic_OneWellFormedSvgPerChart()
    {
        List<XElement> charts = Charts(ReportWriter.Render(SyntheticRun.Realistic()));

        charts.Should().HaveCount(ChartCount);
        charts.Select(c => c.Attribute("class")!.Value).Should().Equal(
            "chart chart-latency", "chart chart-latency", "chart chart-outcomes", "chart chart-outcomes", "chart chart-inflight");
    }

    [Fact]
    public void Render_BreakerTimeline_OneBandPerStateIntervalOnEachResilientChart()
    {
        ChainRun resilient = new("resilient", [new(0.5, 3, RequestOutcome.Success)], [], [
            new(0, CircuitBreakerState.Closed), new(3, CircuitBreakerState.Open), new(5, CircuitBreakerState.HalfOpen),
            new(5.5, CircuitBreakerState.Open), new(7, CircuitBreakerState.HalfOpen), new(7.5, CircuitBreakerState.Closed),
        ]);
        DemoRun run = SyntheticRun.With([new("all", "one phase", 0, 10)], resilient, EmptyChain);

        List<XElement> charts = Charts(ReportWriter.Render(run));

        // The resilient chain's latency and outcome charts each carry the strip; the plain and in-flight charts none.
        foreach (XElement chart in new[] { charts[0], charts[2] })
        {
            WithClass(chart, "band-closed").Should().HaveCount(2);
            WithClass(chart, "band-open").Should().HaveCount(2);
            WithClass(chart, "band-halfopen").Should().HaveCount(2);
            List<XElement> open = WithClass(chart, "band-open");
            X(open[0]).Should().BeApproximately(X(chart, 3), 0.02);
            X(open[1]).Should().BeApproximately(X(chart, 5.5), 0.02);
        }

        foreach (XElement chart in new[] { charts[1], charts[3], charts[4] })
        {
            WithClass(chart, "band").Should().BeEmpty();
        }
    }

    [Fact]
    public void Render_Table_PerPhaseFiguresOfBothChains()
    {
        PhaseWindow phase = new("D slow", "every request waits 300 ms", 0, 10);
        ChainRun resilient = new("resilient", [
            new(1, 12.34, RequestOutcome.Success), new(2, 250, RequestOutcome.Success), new(3, 1.5, RequestOutcome.Fallback),
            new(4, 0.5, RequestOutcome.Error),
        ], [new(1, 3), new(2, 7)], [new(0, CircuitBreakerState.Closed)]);
        ChainRun plain = new("plain", [new(1, 30000, RequestOutcome.Error)], [new(1, 42)], []);

        string html = ReportWriter.Render(SyntheticRun.With([phase], resilient, plain));

        string row = Regex.Match(html, "<tr><th class=\"phase\" scope=\"row\">D slow.*?</tr>").Value;
        Regex.Matches(row, "<td class=\"[a-z0-9 ]+\">([^<]*)</td>").Select(m => m.Groups[1].Value).Should().Equal(
            "4", "50.0 %", "25.0 %", "25.0 %", "1.5", "250", "250", "7",
            "1", "0.0 %", "0.0 %", "100.0 %", "30000", "30000", "30000", "42");
        row.Should().Contain("every request waits 300 ms");
    }

    [Fact]
    public void Render_DownPhase_RowHighlighted()
    {
        DemoRun run = SyntheticRun.Realistic();

        string html = ReportWriter.Render(run);

        Regex.Count(html, "<tr class=\"phase-down\">").Should().Be(1);
        html.Should().Contain("<tr class=\"phase-down\"><th class=\"phase\" scope=\"row\">D down<small>");
    }

    [Fact]
    public void Render_OtherCulture_NumbersUseDotDecimals()
    {
        CultureInfo before = CultureInfo.CurrentCulture;
        try
        {
            // The build runs in invariant globalization mode, so a German-like culture is made by hand: ',' for decimals.
            var comma = (CultureInfo)CultureInfo.InvariantCulture.Clone();
            comma.NumberFormat.NumberDecimalSeparator = ",";
            comma.NumberFormat.NumberGroupSeparator = ".";
            comma.NumberFormat.PercentDecimalSeparator = ",";
            CultureInfo.CurrentCulture = comma;
            string html = ReportWriter.Render(SyntheticRun.Realistic());

            html.Should().Contain("40 requests/s").And.Contain("1 s</b>");
            Regex.IsMatch(html, @"\d,\d").Should().BeFalse("no number uses a decimal comma");
            Regex.IsMatch(html, @"\d\.\d").Should().BeTrue();
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    [Fact]
    public void Render_MarkupInNames_Escaped()
    {
        PhaseWindow phase = new("<D & E>", "\"quoted\" <b>bold</b>", 0, 5);
        DemoRun run = SyntheticRun.With([phase], new ChainRun("<chain>", [new(1, 2, RequestOutcome.Success)], [], []), EmptyChain);

        string html = ReportWriter.Render(run);

        html.Should().Contain("&lt;D &amp; E&gt;").And.NotContain("<D & E>").And.NotContain("<b>bold</b>").And.NotContain("<chain>");
        Charts(html).Should().HaveCount(ChartCount);
        Charts(html).SelectMany(c => WithClass(c, "phase-label")).Should().OnlyContain(t => t.Nodes().OfType<XText>().Single().Value == "<D & E>");
    }

    [Fact]
    public void Render_EmptyChainsAndNoPhases_RendersEveryChart()
    {
        DemoRun run = SyntheticRun.With([], EmptyChain with { Name = "resilient" }, EmptyChain);

        string html = ReportWriter.Render(run);

        List<XElement> charts = Charts(html);
        charts.Should().HaveCount(ChartCount);
        charts.SelectMany(c => WithClass(c, "empty-message")).Should().HaveCount(ChartCount);
        html.Should().Contain("No phases.");
    }

    [Fact]
    public void Render_Realistic_LatencyLinesAndTimeLimitDrawn()
    {
        List<XElement> charts = Charts(ReportWriter.Render(SyntheticRun.Realistic()));

        foreach (XElement latency in charts.Take(2))
        {
            WithClass(latency, "p50").Should().ContainSingle();
            WithClass(latency, "p99").Should().ContainSingle();
            WithClass(latency, "attempt-timeout").Should().ContainSingle();
            WithClass(latency, "phase-label").Select(t => t.Nodes().OfType<XText>().First().Value).Should().Equal(SyntheticRun.Phases.Select(p => p.Name));
        }

        // 100 seconds of requests: one stacked bar (up to three parts) per second, each part titled with its counts.
        WithClass(charts[2], "bar").Select(b => b.Attribute("x")!.Value).Distinct().Should().HaveCount(100);
        WithClass(charts[4], "inflight-plain").Should().ContainSingle();
    }

    [Fact]
    public void Render_SampleFile_WrittenWhenAsked()
    {
        // Writes the sample report for a look in a browser: REPORT_SAMPLE=<path.html> dotnet test --filter SampleFile
        string? path = Environment.GetEnvironmentVariable("REPORT_SAMPLE");
        if (string.IsNullOrEmpty(path))
        {
            return;
        }

        File.WriteAllText(path, ReportWriter.Render(SyntheticRun.Realistic()));
        File.Exists(path).Should().BeTrue();
    }

    private static List<XElement> Charts(string html) =>
        Regex.Matches(html, "<svg.*?</svg>", RegexOptions.Singleline).Select(m => XElement.Parse(m.Value)).ToList();

    private static List<XElement> WithClass(XElement root, string cssClass) =>
        root.Descendants().Where(e => (e.Attribute("class")?.Value ?? "").Split(' ').Contains(cssClass)).ToList();

    private static double X(XElement rect) => double.Parse(rect.Attribute("x")!.Value, CultureInfo.InvariantCulture);

    // The x of a moment in a chart, read back from the chart's own time axis ticks (0 s and the last tick).
    private static double X(XElement chart, double seconds)
    {
        List<XElement> ticks = WithClass(chart, "tick-x");
        double x0 = double.Parse(ticks[0].Attribute("x")!.Value, CultureInfo.InvariantCulture);
        XElement last = ticks[^1];
        double lastSeconds = double.Parse(last.Value, CultureInfo.InvariantCulture);
        double x1 = double.Parse(last.Attribute("x")!.Value, CultureInfo.InvariantCulture);
        return x0 + ((x1 - x0) * seconds / lastSeconds);
    }
}
