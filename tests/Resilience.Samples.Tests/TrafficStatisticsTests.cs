using CascadeDemo;

namespace Resilience.Samples.Tests;

public class TrafficStatisticsTests
{
    private static readonly ChainRun Chain = new("resilient", [], [], [],
        [
            new("Warehouse (D)", "D1", "http://127.0.0.1:1", [0.1, 0.2, 5.5]),
            new("Warehouse (D)", "D2", "http://127.0.0.1:2", [0.3, 1.5, 2.5, 6]),
            new("Pricing (C)", "C v1", "http://127.0.0.1:3", [0.5]),
        ],
        [new("D1", 3, 5, "consecutive_5xx"), new("D2", 8, 9, "success_rate")]);

    [Fact]
    public void Services_InTheOrderStarted() =>
        TrafficStatistics.Services(Chain).Should().Equal("Warehouse (D)", "Pricing (C)");

    [Fact]
    public void Shares_ArrivalsInTheSpan_CountedFromStartToBeforeEnd()
    {
        IReadOnlyList<EndpointShare> shares = TrafficStatistics.Shares(Chain, "Warehouse (D)", 0.2, 6);

        shares.Should().Equal(new EndpointShare("D1", 2, 0.4), new EndpointShare("D2", 3, 0.6));
    }

    [Fact]
    public void Shares_NoArrivals_ZeroShares() =>
        TrafficStatistics.Shares(Chain, "Warehouse (D)", 10, 20).Should().OnlyContain(s => s.Requests == 0 && s.Share == 0);

    [Fact]
    public void Ejections_OverlappingTheSpan() =>
        TrafficStatistics.Ejections(Chain, 4, 8.5).Select(e => e.Endpoint).Should().Equal("D1", "D2");

    [Fact]
    public void EndpointTraffic_NoneRecorded_Empty()
    {
        var chain = new ChainRun("plain", [], [], []);

        chain.EndpointTraffic.Should().BeEmpty();
        chain.EjectionIntervals.Should().BeEmpty();
        TrafficStatistics.Services(chain).Should().BeEmpty();
    }
}
