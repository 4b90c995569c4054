using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resilience.Http.Tests.Telemetry;

namespace Resilience.DependencyInjection.Tests.DependencyInjection;

public class LastGoodOptionsTests
{
    [Fact]
    public void Get_InvalidAfterValid_ReturnsLastValid()
    {
        int threshold = 50;
        using ServiceProvider provider = new ServiceCollection()
            .AddOptions<CircuitBreakerOptions>("x").Configure(o => o.FailureRateThreshold = threshold).Validate(o => o.FailureRateThreshold <= 100).Services
            .BuildServiceProvider();
        var monitor = provider.GetRequiredService<IOptionsMonitor<CircuitBreakerOptions>>();
        var cache = provider.GetRequiredService<IOptionsMonitorCache<CircuitBreakerOptions>>();
        using var lastGood = new LastGoodOptions(provider);
        CircuitBreakerOptions valid = lastGood.Get(monitor, "x");

        threshold = 150;
        cache.TryRemove("x");

        lastGood.Get(monitor, "x").Should().BeSameAs(valid);
        monitor.Invoking(m => m.Get("x")).Should().Throw<OptionsValidationException>();
    }

    [Fact]
    public void Get_NeverValid_Throws()
    {
        using ServiceProvider provider = new ServiceCollection()
            .AddOptions<CircuitBreakerOptions>("x").Validate(_ => false).Services
            .BuildServiceProvider();

        new LastGoodOptions(provider).Invoking(l => l.Get(provider.GetRequiredService<IOptionsMonitor<CircuitBreakerOptions>>(), "x"))
            .Should().Throw<OptionsValidationException>();
    }

    [Fact]
    public void Follow_InvalidThenValidReload_KeepsLastValidThenNotifiesOnce()
    {
        IConfigurationRoot root = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["FailureRateThreshold"] = "50" }).Build();
        var logs = new CapturingLoggerProvider("Resilience.Configuration");
        using ServiceProvider provider = new ServiceCollection()
            .AddSingleton<ILoggerFactory>(logs)
            .AddOptions<CircuitBreakerOptions>("x").Bind(root).Validate(o => o.FailureRateThreshold <= 100, "FailureRateThreshold must be at most 100.").Services
            .AddSingleton<LastGoodOptions>()
            .BuildServiceProvider();
        LastGoodOptions lastGood = provider.GetRequiredService<LastGoodOptions>();
        LastGoodOptionsMonitor<CircuitBreakerOptions> followed = lastGood.Follow<CircuitBreakerOptions>("x");
        var seen = new List<float>();
        using IDisposable listener = followed.OnChange(o => seen.Add(o.FailureRateThreshold));

        root["FailureRateThreshold"] = "150";
        root.Invoking(r => r.Reload()).Should().Throw<AggregateException>();

        followed.CurrentValue.FailureRateThreshold.Should().Be(50);
        seen.Should().BeEmpty();
        logs.Entries.Should().ContainSingle().Which.Message.Should().EndWith(Environment.NewLine + "  FailureRateThreshold must be at most 100.");

        root["FailureRateThreshold"] = "60";
        root.Reload();

        followed.CurrentValue.FailureRateThreshold.Should().Be(60);
        seen.Should().Equal(60);
        lastGood.Follow<CircuitBreakerOptions>("x").Should().BeSameAs(followed);
    }

    [Fact]
    public void Follow_ListenerDisposed_NotCalledAgain()
    {
        IConfigurationRoot root = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["FailureRateThreshold"] = "50" }).Build();
        using ServiceProvider provider = new ServiceCollection()
            .AddOptions<CircuitBreakerOptions>("x").Bind(root).Services
            .AddSingleton<LastGoodOptions>()
            .BuildServiceProvider();
        LastGoodOptionsMonitor<CircuitBreakerOptions> followed = provider.GetRequiredService<LastGoodOptions>().Follow<CircuitBreakerOptions>("x");
        int calls = 0;
        IDisposable listener = followed.OnChange(_ => calls++);

        listener.Dispose();
        root["FailureRateThreshold"] = "60";
        root.Reload();

        calls.Should().Be(0);
        followed.CurrentValue.FailureRateThreshold.Should().Be(60);
    }
}
