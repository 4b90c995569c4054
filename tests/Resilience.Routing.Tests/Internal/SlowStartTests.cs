using Microsoft.Extensions.Time.Testing;
using Resilience.Routing.Internal;

namespace Resilience.Routing.Tests.Internal;

public sealed class SlowStartTests
{
    [Theory]
    [InlineData(0, 1.0, 10, 0.1)] // max(0 s, 1 s) / 10 s = 0.1
    [InlineData(0.5, 1.0, 20, 0.2)] // min_weight_percent wins
    [InlineData(5, 1.0, 10, 0.5)]
    [InlineData(2.5, 2.0, 10, 0.5)] // (2.5 / 10)^(1/2)
    [InlineData(8, 0.5, 10, 0.64)] // (8 / 10)^2
    [InlineData(10, 1.0, 10, 1.0)] // the window has passed
    public void Factor_TimeSinceJoin_IsEnvoysFormula(double seconds, double aggression, double minPercent, double expected)
    {
        var time = new FakeTimeProvider();
        long joined = time.GetTimestamp();
        time.Advance(TimeSpan.FromSeconds(seconds));
        var slowStart = new SlowStart(TimeSpan.FromSeconds(10), aggression, minPercent);

        slowStart.Factor(joined, time.GetTimestamp(), time).Should().BeApproximately(expected, 1e-9);
    }

    [Fact]
    public void Factor_InitialEndpointOrNoWindow_IsOne()
    {
        var time = new FakeTimeProvider();

        new SlowStart(TimeSpan.FromSeconds(10), 1.0, 10).Factor(EndpointJoin.Initial, time.GetTimestamp(), time).Should().Be(1.0);
        new SlowStart(TimeSpan.Zero, 1.0, 10).Factor(time.GetTimestamp(), time.GetTimestamp(), time).Should().Be(1.0);
    }
}
