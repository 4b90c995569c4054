using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

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
}
