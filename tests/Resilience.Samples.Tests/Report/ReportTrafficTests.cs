using System.Globalization;
using System.Xml.Linq;
using CascadeDemo;

namespace Resilience.Samples.Tests.Report;

public class ReportTrafficTests
{
    private static readonly PhaseWindow[] Phases = [new("one D fails", "one of three answers 503", 0, 10)];

    [Fact]
    public void Charts_ServiceWithSeveralInstances_StackedSharesPerSecondAndOneBandPerEjection()
    {
        ChainRun resilient = new("resilient", [], [], [],
            [
                new("Warehouse (D)", "D1", "a", [0.5, 1.5]),
                new("Warehouse (D)", "D2", "b", [0.6, 1.6, 1.7, 2.5]),
                new("Warehouse (D)", "D3", "c", [0.7, 2.6]),
                new("Pricing (C)", "C v1", "d", [0.5]),
            ],
            [new("D1", 2, 7, "consecutive_5xx", "C v1"), new("D3", 8, 10, "success_rate", "C v2"), new("C v1", 3, 4, "consecutive_5xx", "Inventory")]);
        DemoRun run = SyntheticRun.With(Phases, resilient, new ChainRun("plain", [], [], []));

        var charts = ReportTraffic.Charts(run, resilient, 10).ToList();

        // Pricing has one instance here: nothing to share, no chart.
        charts.Should().ContainSingle();
        charts[0].Caption.Should().Be("Warehouse (D), resilient chain");
        charts[0].Endpoints.Should().Equal("D1", "D2", "D3");
        XElement svg = XElement.Parse(charts[0].Svg);
        List<XElement> bars = WithClass(svg, "bar");
        bars.Should().HaveCount(7, "three parts in seconds 0 and 1 (D1, D2, D3 and D1, D2), two in second 2 (D2, D3)");
        Height(WithClass(svg, "ep-1").Where(e => WithClassOf(e, "bar")).ElementAt(1))
            .Should().BeApproximately(2 * Height(WithClass(svg, "ep-0").Where(e => WithClassOf(e, "bar")).ElementAt(1)), 0.05, "in second 1, D2 got 2 requests and D1 one");
        List<XElement> bands = WithClass(svg, "band-ejected");
        bands.Should().HaveCount(2, "C v1 is not an instance of Warehouse");
        bands.Select(b => b.Element("title")!.Value).Should().Equal("D1 ejected by C v1's client (consecutive_5xx): 2 s to 7 s", "D3 ejected by C v2's client (success_rate): 8 s to 10 s");
        WithClassOf(bands[0], "ep-0").Should().BeTrue();
        WithClassOf(bands[1], "ep-2").Should().BeTrue();
        WithClass(svg, "band-over").Should().HaveCount(2);
    }

    [Fact]
    public void Render_RunWithTraffic_ChartsAfterTheOthersWithALegendPerService()
    {
        ChainRun resilient = new("resilient", [new(0.5, 3, RequestOutcome.Success)], [], [],
            [new("Warehouse (D)", "D1", "a", [0.5]), new("Warehouse (D)", "D2", "b", [0.6])], [new("D1", 2, 7, "consecutive_5xx")]);

        string html = ReportWriter.Render(SyntheticRun.With(Phases, resilient, new ChainRun("plain", [], [], [])));

        html.Should().Contain("<h2>Traffic per instance</h2>").And.Contain("<i class=\"swatch ep-1\"></i>D2");
        System.Text.RegularExpressions.Regex.Count(html, "<svg class=\"chart chart-traffic\"").Should().Be(1);
    }

    private static List<XElement> WithClass(XElement root, string cssClass) =>
        root.Descendants().Where(e => WithClassOf(e, cssClass)).ToList();

    private static bool WithClassOf(XElement element, string cssClass) =>
        (element.Attribute("class")?.Value ?? "").Split(' ').Contains(cssClass);

    private static double Height(XElement rect) => double.Parse(rect.Attribute("height")!.Value, CultureInfo.InvariantCulture);
}
