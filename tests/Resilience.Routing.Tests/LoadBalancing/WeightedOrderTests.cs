using Resilience.Routing.LoadBalancing;

namespace Resilience.Routing.Tests.LoadBalancing;

public sealed class WeightedOrderTests
{
    [Fact]
    public void Build_WeightsWithACommonDivisor_CycleIsTheReducedSumInDeadlineOrder()
    {
        int[] order = WeightedOrder.Build([20, 10, 10]);

        order.Should().Equal([0, 0, 1, 2], "deadlines 1/2, 1, 1, 1, ties by index");
    }

    [Fact]
    public void Build_EveryWeightZero_VisitsEachEndpointOnce()
    {
        WeightedOrder.Build([0, 0, 0]).Should().Equal(0, 1, 2);
    }

    [Fact]
    public void Build_ZeroWeightAmongOthers_NeverPicksIt()
    {
        WeightedOrder.Build([0, 2, 1]).Should().Equal(1, 1, 2);
    }

    [Fact]
    public void Build_SumAboveTheMaximum_ScalesDownKeepingRatiosAndEveryWeightedEndpoint()
    {
        int[] order = WeightedOrder.Build([1_000_000, 3_000_000, 1, 0]);

        order.Length.Should().BeLessThanOrEqualTo(WeightedOrder.MaxLength);
        int[] counts = [.. Enumerable.Range(0, 4).Select(i => order.Count(o => o == i))];
        counts[2].Should().Be(1, "an endpoint with weight keeps at least one turn");
        counts[3].Should().Be(0);
        ((double)counts[1] / counts[0]).Should().BeApproximately(3, 0.001);
    }
}
