using Microsoft.Extensions.DependencyInjection;
using Resilience.Http.Telemetry;
using Resilience.Http.Tests.Telemetry;

namespace Resilience.Http.Tests.DependencyInjection;

public class ResilienceTelemetryExtensionsTests
{
    [Fact]
    public void ThreadPoolBulkheadGauges_AddResilienceRegistry_ReportedWithoutBeingAdded()
    {
        string name = "pool-" + Guid.NewGuid().ToString("N");
        using var harness = new TelemetryHarness(b => b.AddResilience(), configureServices: s => s.AddResilience(o =>
            o.ThreadPoolBulkhead.Instances[name] = new ThreadPoolBulkheadOptions { CoreThreadPoolSize = 1, MaxThreadPoolSize = 2, QueueCapacity = 7 }));
        harness.Services.GetRequiredService<HttpResilienceTelemetry>();

        harness.Observe("resilience.thread_pool_bulkhead.queue_capacity").Should().ContainSingle()
            .Which.Should().Match<MeasurementRecord>(m => m.Value == 7 && (string?)m[ResilienceTelemetry.InstanceTag] == name);
    }

    [Fact]
    public void ThreadPoolBulkheadGauges_RegistryAlsoAddedByHand_ReportedOnce()
    {
        using var harness = new TelemetryHarness(b => b.AddResilience(), configureServices: s => s
            .AddResilience(o => o.ThreadPoolBulkhead.Instances["reports"] = new ThreadPoolBulkheadOptions { QueueCapacity = 3 })
            .AddOptions<ResilienceTelemetryOptions>().Configure<ThreadPoolBulkheadRegistry>((o, r) => o.ThreadPoolBulkheadRegistries.Add(r)));
        harness.Services.GetRequiredService<HttpResilienceTelemetry>();

        harness.Observe("resilience.thread_pool_bulkhead.queue_capacity").Should().ContainSingle();
    }
}
