using Resilience.Simulations.Simulation;

namespace Resilience.Routing.Tests.Simulations;

/// <summary>The simulation engine: exact for a seed, and every request that arrives is answered.</summary>
public sealed class RoutingSimulationTests
{
    private static readonly SimulationSettings Slow = new()
    {
        Duration = TimeSpan.FromSeconds(20),
        OddServiceTime = TimeSpan.FromMilliseconds(100),
        OutlierDetection = new OutlierDetectionOptions { MaxEjectionPercent = 20, EnforcingConsecutiveGatewayFailure = 100 },
        AttemptTimeout = TimeSpan.FromMilliseconds(50),
        MaxAttempts = 3,
        RetryBudget = new RetryBudgetOptions(),
    };

    [Fact]
    public void Run_SameSeed_SameResult()
    {
        SimulationResult first = RoutingSimulation.Run(Slow);

        RoutingSimulation.Run(Slow).Should().Be(first);
    }

    [Fact]
    public void Run_OtherSeed_OtherArrivals()
    {
        SimulationResult first = RoutingSimulation.Run(Slow);

        RoutingSimulation.Run(Slow with { Seed = 2 }).Should().NotBe(first);
    }

    [Fact]
    public void Run_PoissonArrivals_EveryRequestAnsweredAtTheMeanRate()
    {
        SimulationResult result = RoutingSimulation.Run(new SimulationSettings { Duration = TimeSpan.FromSeconds(20) });

        result.Requests.Should().BeCloseTo(10_000, 300, "500 requests a second for 20 s");
        result.FailedRequests.Should().Be(0);
        result.Attempts.Should().Be(result.Requests, "no attempt fails, so none is retried");
        result.P50.Should().BeCloseTo(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(1), "the mean service time, with idle workers");
    }

    [Fact]
    public void Run_OddEndpointFailsEverything_RetriesGoElsewhere()
    {
        SimulationResult result = RoutingSimulation.Run(new SimulationSettings
        {
            Duration = TimeSpan.FromSeconds(10),
            OddFailureRate = 1.0,
            MaxAttempts = 2,
        });

        result.AttemptsToOdd.Should().BeGreaterThan(0);
        result.FailedRequests.Should().Be(0, "a retry avoids the endpoint already tried");
        result.Attempts.Should().Be(result.Requests + result.AttemptsToOdd);
    }
}
