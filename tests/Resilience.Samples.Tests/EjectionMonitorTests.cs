using System.Diagnostics;
using System.Diagnostics.Metrics;
using CascadeDemo;

namespace Resilience.Samples.Tests;

public class EjectionMonitorTests
{
    [Fact]
    public void Intervals_EjectionsAndReturnsOfTheMeter_OnePerEjectionOfTheChainsInstances()
    {
        long start = TimeProvider.System.GetTimestamp();
        var d1 = new TrafficCounter("Warehouse (D)", "D1") { Address = "http://127.0.0.1:40001" };
        var d2 = new TrafficCounter("Warehouse (D)", "D2") { Address = "http://127.0.0.1:40002" };
        using var monitor = new EjectionMonitor();
        // The meter and instruments of Resilience.Routing's outlier detection, as its telemetry names them.
        using var meter = new Meter("Resilience.Routing");
        Counter<long> ejections = meter.CreateCounter<long>("resilience.routing.ejections");
        Counter<long> returns = meter.CreateCounter<long>("resilience.routing.ejection_returns");

        ejections.Add(1, Tags("http://127.0.0.1:40001", "consecutive_5xx"));
        ejections.Add(1, Tags("http://127.0.0.1:49999", "consecutive_5xx")); // another chain's instance
        returns.Add(1, Tags("http://127.0.0.1:40001", null));
        ejections.Add(1, Tags("http://127.0.0.1:40002", "success_rate"));

        IReadOnlyList<EjectionInterval> intervals = monitor.Intervals([d1, d2], new Dictionary<Meter, string> { [meter] = "C v1" }, start, endSeconds: 1000);

        intervals.Select(i => (i.Endpoint, i.Reason, i.Client)).Should().Equal(("D1", "consecutive_5xx", "C v1"), ("D2", "success_rate", "C v1"));
        intervals[0].EndSeconds.Should().BeGreaterThanOrEqualTo(intervals[0].StartSeconds).And.BeLessThan(1000);
        intervals[1].EndSeconds.Should().Be(1000, "not returned before the end of the run");
    }

    private static TagList Tags(string endpoint, string? reason)
    {
        var tags = new TagList { { "service", "http://warehouse" }, { "endpoint", endpoint } };
        if (reason is not null)
        {
            tags.Add("reason", reason);
        }

        return tags;
    }
}
