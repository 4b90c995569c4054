using Resilience.Simulations.Simulation;

namespace Resilience.Routing.Tests.Simulations;

/// <summary>Issue 16 §8's simulations, shortened to 30 s of arrivals: the same seed gives the same table, and each scenario shows its effect.</summary>
public sealed class ScenariosTests
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(30);

    [Fact]
    public void Markdown_SameSeed_SameTable()
    {
        string first = Scenarios.Markdown(Duration, seed: 7);

        Scenarios.Markdown(Duration, seed: 7).Should().Be(first);
    }

    [Fact]
    public void SlowEndpoint_TwoChoices_SendsLessToTheSlowEndpointThanRoundRobin()
    {
        Dictionary<string, SimulationResult> rows = Scenarios.SlowEndpoint(Duration, seed: 1).ToDictionary(static r => r.Row, static r => r.Result);

        rows["RoundRobin"].OddShare.Should().BeApproximately(0.2, 0.001, "round robin gives each of five a fifth");
        rows["LeastRequest (two choices)"].OddShare.Should().BeLessThan(0.1);
        rows["LeastRequest (two choices)"].P99.Should().BeLessThan(rows["RoundRobin"].P99);
    }

    [Fact]
    public void SlowEndpoint_OutlierDetectionWithoutDeadline_EjectsNothing()
    {
        Dictionary<string, SimulationResult> rows = Scenarios.SlowEndpoint(Duration, seed: 1).ToDictionary(static r => r.Row, static r => r.Result);

        rows["Two choices + outlier detection (no deadline)"].Should().Be(rows["LeastRequest (two choices)"], "a slow answer is a success to the detector");
    }

    [Fact]
    public void SlowEndpoint_DeadlineRetryAndEjection_KeepsP99BelowTheSlowServiceTime()
    {
        SimulationResult result = Scenarios.SlowEndpoint(Duration, seed: 1).Single(static r => r.Row.EndsWith("+ ejection", StringComparison.Ordinal)).Result;

        result.Ejections.Should().BeGreaterThan(0);
        result.OddShare.Should().BeLessThan(0.01);
        result.P99.Should().BeLessThan(Scenarios.Deadline);
    }

    [Fact]
    public void FailingEndpoint_EjectionAndRetry_EachFailLessThanNeither()
    {
        Dictionary<string, SimulationResult> rows = Scenarios.FailingEndpoint(Duration, seed: 1).ToDictionary(static r => r.Row, static r => r.Result);
        double none = rows["No ejection, no retry"].FailedShare;

        none.Should().BeApproximately(0.1, 0.02, "half the fifth that reaches the failing endpoint");
        rows["Ejection only"].FailedShare.Should().BeLessThan(none / 5);
        rows["Ejection only"].Ejections.Should().BeGreaterThan(0);
        rows["Retry on another endpoint only"].FailedShare.Should().BeLessThan(none / 5);
        rows["Retry on another endpoint only"].AttemptsPerRequest.Should().BeGreaterThan(1.05, "every failure costs another attempt");
        rows["Ejection + retry on another endpoint"].FailedShare.Should().BeLessThanOrEqualTo(rows["Ejection only"].FailedShare);
    }
}
