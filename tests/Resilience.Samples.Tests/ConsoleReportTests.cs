using CascadeDemo;

namespace Resilience.Samples.Tests;

public class ConsoleReportTests
{
    private static readonly PhaseWindow Down = new("D down", "every request hangs", 30, 40);

    [Fact]
    public void Timeline_StateAtStartThenChangesInThePhase()
    {
        BreakerTransition[] timeline = [new(0, CircuitBreakerState.Closed), new(30.5, CircuitBreakerState.Open), new(31.5, CircuitBreakerState.HalfOpen), new(45, CircuitBreakerState.Closed)];

        ConsoleReport.Timeline(timeline, Down).Should().Be("30.0 s Closed, 30.5 s Open, 31.5 s HalfOpen");
    }

    [Fact]
    public void Timeline_LongRunOfChanges_KeepsFirstTwoAndLast()
    {
        var timeline = new List<BreakerTransition> { new(0, CircuitBreakerState.Closed), new(30.4, CircuitBreakerState.Open) };
        for (int i = 0; i < 4; i++)
        {
            timeline.Add(new(31.5 + (2 * i), CircuitBreakerState.HalfOpen));
            timeline.Add(new(31.7 + (2 * i), CircuitBreakerState.Open));
        }

        string line = ConsoleReport.Timeline(timeline, Down);

        line.Should().Be("30.0 s Closed, 30.4 s Open, ... 7 more changes ..., 37.7 s Open");
        ("   B's breaker (resilient): " + line).Length.Should().BeLessThanOrEqualTo(100);
    }

    [Fact]
    public void Timeline_NothingObserved() =>
        ConsoleReport.Timeline([], Down).Should().Be("(not observed)");
}
