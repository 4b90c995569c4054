using Resilience.Routing.Internal;
using Resilience.Routing.LoadBalancing;
using static Resilience.Routing.Tests.LoadBalancing.RingHashPolicyTests;

namespace Resilience.Routing.Tests.LoadBalancing;

public sealed class MaglevPolicyTests
{
    [Fact]
    public void Pick_SameKey_SameEndpointWhileTheSetIsStable()
    {
        RoutingSnapshot snapshot = TestEndpoints.Snapshot(5);
        MaglevPolicy policy = Policy();

        int first = policy.Pick(TestEndpoints.Context(snapshot, Request("user-42")));

        Enumerable.Range(0, 100).Select(_ => policy.Pick(TestEndpoints.Context(snapshot, Request("user-42")))).Should().OnlyContain(i => i == first);
    }

    [Fact]
    public void Pick_OneOfTenEndpointsAdded_MovesAtMostAboutTwoTenthsOfTheKeys()
    {
        double moved = HashPolicyTests.MovedShare(Policy, 10);

        moved.Should().BeInRange(0.5 / 11, 2.0 / 11);
    }

    [Fact]
    public void Build_EqualWeights_FillsTheTableEvenly()
    {
        int[] table = Policy().Build(TestEndpoints.Snapshot(7));

        table.Should().HaveCount(65537).And.NotContain(-1);
        table.GroupBy(static i => i).Should().OnlyContain(static g => g.Count() >= 9362 && g.Count() <= 9363);
    }

    [Fact]
    public void Build_UnequalWeights_FillsTheTableByWeight()
    {
        int[] table = new MaglevPolicy(65537, new HashKey("x-user", null), RandomSource.Seeded(1)).Build(TestEndpoints.Snapshot(2, 1, 3));

        table.Count(static i => i == 1).Should().BeInRange(49_000, 49_300);
    }

    [Fact]
    public void Pick_KeyAbsent_PicksAtRandom()
    {
        RoutingSnapshot snapshot = TestEndpoints.Snapshot(4);
        MaglevPolicy policy = Policy();

        Enumerable.Range(0, 400).Select(_ => policy.Pick(TestEndpoints.Context(snapshot))).Distinct().Should().HaveCount(4);
    }

    [Fact]
    public void Pick_NoEndpointOrEveryEndpointEjected_ReturnsMinusOne()
    {
        MaglevPolicy policy = Policy();
        RoutingSnapshot snapshot = TestEndpoints.Snapshot(3);
        foreach (EndpointState state in snapshot.States)
        {
            state.IsEjected = true;
        }

        policy.Pick(TestEndpoints.Context(new RoutingSnapshot(TestEndpoints.Service, 1, [], [], []), Request("k"))).Should().Be(-1);
        policy.Pick(TestEndpoints.Context(snapshot, Request("k"))).Should().Be(-1);
    }

    private static MaglevPolicy Policy() => new(65537, new HashKey("x-user", null), RandomSource.Seeded(1));
}

/// <summary>What the consistent-hash policies share in tests.</summary>
internal static class HashPolicyTests
{
    /// <summary>The share of 10,000 keys whose endpoint changes when one endpoint joins <paramref name="count"/>.</summary>
    public static double MovedShare(Func<ILoadBalancingPolicy> policy, int count)
    {
        RoutingSnapshot before = TestEndpoints.Snapshot(count);
        RoutingSnapshot grown = TestEndpoints.Snapshot(count + 1);
        ILoadBalancingPolicy a = policy();
        ILoadBalancingPolicy b = policy();
        int moved = 0;
        for (int k = 0; k < 10_000; k++)
        {
            string key = "key-" + k;
            int was = a.Pick(TestEndpoints.Context(before, Request(key)));
            int now = b.Pick(TestEndpoints.Context(grown, Request(key)));
            moved += before.States[was].Key == grown.States[now].Key ? 0 : 1;
        }

        return moved / 10_000.0;
    }
}
