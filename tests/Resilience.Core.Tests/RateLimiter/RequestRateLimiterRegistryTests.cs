using Microsoft.Extensions.Time.Testing;

namespace Resilience.Tests.RateLimiter;

public class RequestRateLimiterRegistryTests
{
    [Fact]
    public void GetOrCreate_DefaultAndNamedConfigurations_UseTheirOptionsAndTheSharedClock()
    {
        var time = new FakeTimeProvider();
        var registry = new RequestRateLimiterRegistry(new RequestRateLimiterOptions { LimitForPeriod = 5 }, time);
        registry.AddConfiguration("strict", new RequestRateLimiterOptions { LimitForPeriod = 1, TimeoutDuration = TimeSpan.Zero });

        RequestRateLimiter search = registry.GetOrCreate("search");
        RequestRateLimiter partner = registry.GetOrCreate("partner", "strict");

        search.LimitForPeriod.Should().Be(5);
        partner.LimitForPeriod.Should().Be(1);
        partner.TimeoutDuration.Should().Be(TimeSpan.Zero);
        partner.TimeProvider.Should().BeSameAs(time);
        registry.GetOrCreate("SEARCH").Should().BeSameAs(search);
    }

    [Fact]
    public void AddConfiguration_InvalidOptions_ThrowsTheValidationMessage()
    {
        var registry = new RequestRateLimiterRegistry();

        registry.Invoking(r => r.AddConfiguration("bad", new RequestRateLimiterOptions { LimitForPeriod = 0 }))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("RequestRateLimiterOptions.LimitForPeriod is 0*");
    }

    [Fact]
    public void AddConfiguration_InheritingFromDefault_CopiesThenOverrides()
    {
        var registry = new RequestRateLimiterRegistry(new RequestRateLimiterOptions { LimitForPeriod = 7, TimeoutDuration = TimeSpan.FromSeconds(1) });

        registry.AddConfiguration("slow", RequestRateLimiterRegistry.DefaultConfigurationName, o => o.TimeoutDuration = TimeSpan.FromSeconds(9));
        RequestRateLimiter limiter = registry.GetOrCreate("x", "slow");

        limiter.LimitForPeriod.Should().Be(7);
        limiter.TimeoutDuration.Should().Be(TimeSpan.FromSeconds(9));
        registry.DefaultOptions.TimeoutDuration.Should().Be(TimeSpan.FromSeconds(1));
    }
}
