using Resilience.Routing.Internal;

namespace Resilience.Routing.Tests.Hedging;

public sealed class LatencyWindowTests
{
    private static readonly TimeSpan Fallback = TimeSpan.FromSeconds(2);

    [Fact]
    public void Delay_FewerThanTheMinimumLatencies_ReturnsTheFallback()
    {
        var window = new LatencyWindow();
        for (int i = 1; i < HedgingConstants.MinLatencySamples; i++)
        {
            window.Record(TimeSpan.FromMilliseconds(i));
        }

        window.Delay(95, Fallback).Should().Be(Fallback);
    }

    [Theory]
    [InlineData(95, 95)]
    [InlineData(50, 50)]
    [InlineData(100, 100)]
    [InlineData(0.5, 1)]
    public void Delay_HundredLatencies_ReturnsTheNearestRankPercentile(double percentile, int expectedMs)
    {
        var window = new LatencyWindow();
        foreach (int ms in Enumerable.Range(1, 100).Reverse())
        {
            window.Record(TimeSpan.FromMilliseconds(ms));
        }

        window.Delay(percentile, Fallback).Should().Be(TimeSpan.FromMilliseconds(expectedMs));
    }

    [Fact]
    public void Delay_MoreLatenciesThanTheWindow_UsesOnlyTheRecentOnes()
    {
        var window = new LatencyWindow();
        for (int i = 0; i < HedgingConstants.LatencySamples; i++)
        {
            window.Record(TimeSpan.FromSeconds(10));
        }

        window.Delay(50, Fallback).Should().Be(TimeSpan.FromSeconds(10));
        for (int i = 0; i < HedgingConstants.LatencySamples; i++)
        {
            window.Record(TimeSpan.FromMilliseconds(5));
        }

        window.Delay(50, Fallback).Should().Be(TimeSpan.FromMilliseconds(5), "the window holds the last 128 latencies");
        window.Count.Should().Be(2 * HedgingConstants.LatencySamples);
    }

    [Fact]
    public void Delay_FewNewLatencies_ReusesTheLastPercentileUntilTheRefresh()
    {
        var window = new LatencyWindow();
        for (int i = 0; i < HedgingConstants.MinLatencySamples; i++)
        {
            window.Record(TimeSpan.FromMilliseconds(10));
        }

        window.Delay(100, Fallback).Should().Be(TimeSpan.FromMilliseconds(10));
        window.Record(TimeSpan.FromSeconds(1));
        window.Delay(100, Fallback).Should().Be(TimeSpan.FromMilliseconds(10), "computed again only every 8 latencies");
        for (int i = 1; i < HedgingConstants.PercentileRefresh; i++)
        {
            window.Record(TimeSpan.FromMilliseconds(10));
        }

        window.Delay(100, Fallback).Should().Be(TimeSpan.FromSeconds(1));
    }
}
