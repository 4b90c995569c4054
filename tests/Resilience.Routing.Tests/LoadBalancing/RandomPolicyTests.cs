using Resilience.Routing.Internal;
using Resilience.Routing.LoadBalancing;
using static Resilience.Routing.Tests.LoadBalancing.LeastRequestPolicyTests;

namespace Resilience.Routing.Tests.LoadBalancing;

public sealed class RandomPolicyTests
{
    [Fact]
    public void Pick_ManyTimes_SpreadsUniformly()
    {
        Counts(Picks(new RandomPolicy(RandomSource.Seeded(5)), TestEndpoints.Snapshot(5), 50_000), 5)
            .Should().OnlyContain(static c => c > 9_500 && c < 10_500);
    }

    [Fact]
    public void Pick_NoEndpoint_ReturnsMinusOne()
    {
        var snapshot = new RoutingSnapshot(TestEndpoints.Service, 1, [], [], []);

        new RandomPolicy(RandomSource.Seeded(5)).Pick(TestEndpoints.Context(snapshot)).Should().Be(-1);
    }
}
