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

    [Fact]
    public void Traffic_SharesPerServiceAndEjections()
    {
        ChainRun chain = new("resilient", [], [], [],
            [
                new("Warehouse (D)", "D1", "http://127.0.0.1:1", [30.5]),
                new("Warehouse (D)", "D2", "http://127.0.0.1:2", [31, 32, 33]),
                new("Pricing (C)", "C v1", "http://127.0.0.1:3", [31]),
            ],
            [new("D1", 30.6, 35.6, "consecutive_5xx", "C v1")]);
        var output = new StringWriter();

        new ConsoleReport(output).Traffic(chain, Down);

        output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries).Should().Equal(
            "   traffic (resilient): D1 25.0 %  D2 75.0 %  |  C v1 100.0 %",
            "   ejected (resilient): D1 by C v1's client, 30.6 s to 35.6 s (consecutive_5xx)");
    }
}
