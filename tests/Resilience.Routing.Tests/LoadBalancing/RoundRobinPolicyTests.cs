using Microsoft.Extensions.Time.Testing;
using Resilience.Routing.Internal;
using Resilience.Routing.LoadBalancing;
using static Resilience.Routing.Tests.LoadBalancing.LeastRequestPolicyTests;

namespace Resilience.Routing.Tests.LoadBalancing;

public sealed class RoundRobinPolicyTests
{
    [Fact]
    public void Pick_EqualWeights_VisitsEachOncePerCycle()
    {
        int[] picks = Picks(Policy(), TestEndpoints.Snapshot(3), 9);

        picks.Chunk(3).Should().OnlyContain(static cycle => cycle.Distinct().Count() == 3);
    }

    [Fact]
    public void Pick_UnequalWeights_SharesEqualTheWeightRatioExactlyOverACycle()
    {
        RoutingSnapshot snapshot = TestEndpoints.Snapshot(3, 2, 4, 6); // divided by 2: a cycle of 6

        int[] picks = Picks(Policy(), snapshot, 600);

        Counts(picks, 3).Should().Equal(100, 200, 300);
        picks.Chunk(6).Should().OnlyContain(static cycle => cycle.Count(i => i == 2) == 3, "each cycle holds the exact shares");
        picks.Zip(picks.Skip(1)).Count(static p => p.First == p.Second && p.First != 2).Should().Be(0, "earliest deadline first interleaves the lighter endpoints");
    }

    [Fact]
    public void Pick_EjectedEndpoint_GivesWayToTheNext()
    {
        RoutingSnapshot snapshot = TestEndpoints.Snapshot(3);
        snapshot.States[1].IsEjected = true;

        Counts(Picks(Policy(), snapshot, 300), 3).Should().Equal(150, 0, 150);
    }

    [Fact]
    public void Pick_SlowStart_RampsTheNewEndpointByTheSecond()
    {
        var time = new FakeTimeProvider();
        RoutingSnapshot warm = TestEndpoints.Snapshot(2);
        var snapshot = new RoutingSnapshot(TestEndpoints.Service, 2, warm.Endpoints, warm.Weights, [warm.States[0], new EndpointState(warm.States[1].Key, time.GetTimestamp())]);
        var policy = new RoundRobinPolicy(new SlowStart(TimeSpan.FromSeconds(10), 1.0, 10), RandomSource.Seeded(1), time);

        Counts(Picks(policy, snapshot, 1100), 2).Should().Equal([1000, 100], "at 0 s the new endpoint has min_weight_percent, 10 %");
        time.Advance(TimeSpan.FromSeconds(5));
        Counts(Picks(policy, snapshot, 1500), 2).Should().Equal([1000, 500], "at 5 s of 10 it has half its weight");
        time.Advance(TimeSpan.FromSeconds(5));
        Counts(Picks(policy, snapshot, 1000), 2).Should().Equal(500, 500);
    }

    [Fact]
    public void Pick_FourThreadsRacing_EveryPickInRangeAndSharesStayEven()
    {
        // The counter is advanced without an interlocked instruction: racing picks may share a turn, but no endpoint
        // may be favoured, and no pick may fall outside the set.
        RoundRobinPolicy policy = Policy();
        RoutingSnapshot snapshot = TestEndpoints.Snapshot(3);
        const int PerThread = 200_000;
        int[][] counts = [.. Enumerable.Range(0, 4).Select(static _ => new int[3])];

        RaceOnThreads(4, t =>
        {
            for (int i = 0; i < PerThread; i++)
            {
                counts[t][policy.Pick(TestEndpoints.Context(snapshot))]++;
            }
        });

        int[] total = [.. Enumerable.Range(0, 3).Select(e => counts.Sum(c => c[e]))];
        total.Sum().Should().Be(4 * PerThread);
        total.Should().OnlyContain(static n => n > 4 * PerThread / 3 * 0.9 && n < 4 * PerThread / 3 * 1.1, "shared turns fall on every endpoint alike");
    }

    [Fact]
    public void Pick_FourThreadsRacingWithAllButOneEjected_AlwaysFindsTheAvailableOne()
    {
        // A thread's turns are not consecutive while others move the counter, so they may all land on ejected
        // endpoints: the pick must still find the one that is available.
        RoundRobinPolicy policy = Policy();
        RoutingSnapshot snapshot = TestEndpoints.Snapshot(3);
        snapshot.States[0].IsEjected = true;
        snapshot.States[2].IsEjected = true;
        int wrong = 0;

        RaceOnThreads(4, _ =>
        {
            for (int i = 0; i < 200_000; i++)
            {
                if (policy.Pick(TestEndpoints.Context(snapshot)) != 1)
                {
                    Interlocked.Increment(ref wrong);
                }
            }
        });

        wrong.Should().Be(0);
    }

    /// <summary>Runs <paramref name="body"/> on dedicated threads released together, so that they race from the start.</summary>
    private static void RaceOnThreads(int threads, Action<int> body)
    {
        using var start = new ManualResetEventSlim();
        Exception? error = null;
        Thread[] workers = [.. Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            start.Wait();
            try
            {
                body(t);
            }
#pragma warning disable CA1031 // A worker's failure is reported on the test thread.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Interlocked.CompareExchange(ref error, ex, null);
            }
        }) { IsBackground = true })];
        Array.ForEach(workers, static w => w.Start());
        start.Set();
        Array.ForEach(workers, static w => w.Join());
        error.Should().BeNull();
    }

    private static RoundRobinPolicy Policy() => new(default, RandomSource.Seeded(3), TimeProvider.System);

    [Fact]
    public void Pick_NoEndpointOrEveryEndpointEjected_ReturnsMinusOne()
    {
        RoundRobinPolicy policy = Policy();
        RoutingSnapshot snapshot = TestEndpoints.Snapshot(3);
        foreach (EndpointState state in snapshot.States)
        {
            state.IsEjected = true;
        }

        policy.Pick(TestEndpoints.Context(new RoutingSnapshot(TestEndpoints.Service, 1, [], [], []))).Should().Be(-1);
        policy.Pick(TestEndpoints.Context(snapshot)).Should().Be(-1);
    }
}
