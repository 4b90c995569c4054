using Microsoft.Extensions.Time.Testing;
using Resilience.Routing.Internal;
using Resilience.Routing.LoadBalancing;

namespace Resilience.Routing.Tests.LoadBalancing;

public sealed class LeastRequestPolicyTests
{
    [Fact]
    public void Pick_TwoHostsWithUnequalActiveRequests_NeverPicksTheBusier()
    {
        RoutingSnapshot snapshot = TestEndpoints.Snapshot(2);
        snapshot.States[0].TryEnter(EndpointState.Unlimited);
        LeastRequestPolicy policy = Policy();

        int[] picks = Picks(policy, snapshot, 1000);

        picks.Should().OnlyContain(static i => i == 1, "the two choices are distinct, so the idle host is always one of them (Envoy's 25 % is for draws with replacement)");
    }

    [Fact]
    public void Pick_ManyHostsOneBusy_NeverPicksTheBusyWhenAnotherIsDrawn()
    {
        RoutingSnapshot snapshot = TestEndpoints.Snapshot(10);
        for (int i = 0; i < 5; i++)
        {
            snapshot.States[3].TryEnter(EndpointState.Unlimited);
        }

        int[] picks = Picks(Policy(), snapshot, 10_000);

        picks.Should().NotContain(3);
        picks.Distinct().Should().HaveCount(9);
    }

    [Fact]
    public void Pick_EqualLoad_SpreadsEvenly()
    {
        int[] counts = Counts(Picks(Policy(), TestEndpoints.Snapshot(4), 40_000), 4);

        counts.Should().OnlyContain(static c => c > 9_000 && c < 11_000);
    }

    [Fact]
    public void Pick_OneBusyAmongFive_TheOthersShareEvenly()
    {
        // Whenever the busy endpoint is drawn, the other draw decides: both draws must be uniform and distinct.
        RoutingSnapshot snapshot = TestEndpoints.Snapshot(5);
        snapshot.States[0].TryEnter(EndpointState.Unlimited);

        int[] counts = Counts(Picks(Policy(), snapshot, 40_000), 5);

        counts[0].Should().Be(0);
        counts[1..].Should().OnlyContain(static c => c > 9_500 && c < 10_500);
    }

    [Fact]
    public void Pick_UnequalWeights_SharesFollowWeightOverActivePlusOne()
    {
        RoutingSnapshot snapshot = TestEndpoints.Snapshot(3, 1, 1, 2);
        snapshot.States[2].TryEnter(EndpointState.Unlimited); // weight 2 / (1 + 1) = 1: the same as the others

        int[] counts = Counts(Picks(Policy(), snapshot, 30_000), 3);

        counts.Should().OnlyContain(static c => c > 9_000 && c < 11_000);
    }

    [Fact]
    public void Pick_UnequalWeightsIdle_SharesFollowWeights()
    {
        int[] counts = Counts(Picks(Policy(), TestEndpoints.Snapshot(2, 1, 3), 40_000), 2);

        counts[0].Should().BeInRange(9_000, 11_000);
        counts[1].Should().BeInRange(29_000, 31_000);
    }

    [Fact]
    public void Pick_EjectedEndpoints_AreNeverPicked()
    {
        RoutingSnapshot snapshot = TestEndpoints.Snapshot(5);
        snapshot.States[0].IsEjected = true;
        snapshot.States[4].IsEjected = true;

        Picks(Policy(), snapshot, 5_000).Should().OnlyContain(static i => i >= 1 && i <= 3);
    }

    [Fact]
    public void Pick_AllEjected_ReturnsMinusOne()
    {
        RoutingSnapshot snapshot = TestEndpoints.Snapshot(3);
        foreach (EndpointState state in snapshot.States)
        {
            state.IsEjected = true;
        }

        Policy().Pick(TestEndpoints.Context(snapshot)).Should().Be(-1);
    }

    [Fact]
    public void Pick_EndpointInSlowStart_GetsItsRampedShare()
    {
        var time = new FakeTimeProvider();
        RoutingSnapshot warm = TestEndpoints.Snapshot(2);
        var fresh = new EndpointState(warm.States[1].Key, time.GetTimestamp());
        var snapshot = new RoutingSnapshot(TestEndpoints.Service, 2, warm.Endpoints, warm.Weights, [warm.States[0], fresh]);
        var policy = new LeastRequestPolicy(2, 1.0, new SlowStart(TimeSpan.FromSeconds(10), 1.0, 10), RandomSource.Seeded(7), time);
        time.Advance(TimeSpan.FromSeconds(5)); // factor 0.5: shares 1 : 0.5

        int[] counts = Counts(Picks(policy, snapshot, 30_000), 2);

        counts[1].Should().BeInRange(9_000, 11_000);
        time.Advance(TimeSpan.FromSeconds(5));
        Counts(Picks(policy, snapshot, 30_000), 2)[1].Should().BeInRange(14_000, 16_000, "the window has passed");
    }

    internal static int[] Picks(ILoadBalancingPolicy policy, RoutingSnapshot snapshot, int count, HttpRequestMessage? request = null)
    {
        LoadBalancingContext context = TestEndpoints.Context(snapshot, request);
        return [.. Enumerable.Range(0, count).Select(_ => policy.Pick(context))];
    }

    internal static int[] Counts(int[] picks, int endpoints)
    {
        int[] counts = new int[endpoints];
        foreach (int pick in picks)
        {
            counts[pick]++;
        }

        return counts;
    }

    private static LeastRequestPolicy Policy() =>
        new(2, 1.0, default, RandomSource.Seeded(42), TimeProvider.System);
}
