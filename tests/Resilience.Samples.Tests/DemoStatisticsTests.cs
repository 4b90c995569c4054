using CascadeDemo;

namespace Resilience.Samples.Tests;

public class DemoStatisticsTests
{
    private static readonly PhaseWindow Phase = new("D slow", "every request waits 800 ms", 10, 20);

    [Theory]
    [InlineData(50, 50)]
    [InlineData(95, 95)]
    [InlineData(99, 99)]
    [InlineData(100, 100)]
    [InlineData(0, 1)]
    public void Percentile_NearestRank(double percent, double expected)
    {
        double[] sorted = Enumerable.Range(1, 100).Select(i => (double)i).ToArray();

        DemoStatistics.Percentile(sorted, percent).Should().Be(expected);
    }

    [Fact]
    public void Percentile_NoValues_Zero() => DemoStatistics.Percentile([], 99).Should().Be(0);

    [Fact]
    public void ForPhase_CountsOnlyRequestsSentInThePhase()
    {
        var chain = new ChainRun(
            "resilient",
            [
                new(9.9, 5000, RequestOutcome.Error),
                new(10, 10, RequestOutcome.Success),
                new(12, 20, RequestOutcome.Fallback),
                new(15, 30, RequestOutcome.Fallback),
                new(19.9, 40, RequestOutcome.Error),
                new(20, 9000, RequestOutcome.Error),
            ],
            [new(9, 50), new(10, 3), new(15, 7), new(20, 60)],
            []);

        PhaseStats stats = DemoStatistics.ForPhase(chain, Phase);

        stats.Should().Be(new PhaseStats("D slow", 4, 0.25, 0.5, 0.25, 20, 40, 40, 7));
    }

    [Fact]
    public void ForPhase_NoRequests_ZeroRates()
    {
        PhaseStats stats = DemoStatistics.ForPhase(new ChainRun("plain", [], [], []), Phase);

        stats.Should().Be(new PhaseStats("D slow", 0, 0, 0, 0, 0, 0, 0, 0));
    }
}
