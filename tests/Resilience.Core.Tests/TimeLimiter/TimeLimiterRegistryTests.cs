using Microsoft.Extensions.Time.Testing;
using static Resilience.Tests.TimeLimiter.TimeLimiterTestSupport;
using Limiter = Resilience.TimeLimiter;

namespace Resilience.Tests.TimeLimiter;

public class TimeLimiterRegistryTests
{
    [Fact]
    public void Constructor_NoOptions_UsesLibraryDefaults()
    {
        var registry = new TimeLimiterRegistry();

        registry.DefaultOptions.TimeoutDuration.Should().Be(TimeLimiterConstants.DefaultTimeoutDuration);
        registry.Count.Should().Be(0);
    }

    [Fact]
    public void Constructor_InvalidDefaultOptions_Throws() =>
        FluentActions.Invoking(() => new TimeLimiterRegistry(new TimeLimiterOptions { TimeoutDuration = TimeSpan.Zero }))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("TimeLimiterOptions.TimeoutDuration is 0*");

    [Fact]
    public void GetOrCreate_NamedConfiguration_UsesItsOptionsAndSameInstance()
    {
        var registry = new TimeLimiterRegistry(new TimeLimiterOptions { TimeoutDuration = TimeSpan.FromSeconds(2) });
        registry.AddConfiguration("fast", new TimeLimiterOptions { TimeoutDuration = TimeSpan.FromMilliseconds(200), CancelRunningTask = false });

        Limiter fast = registry.GetOrCreate("pricing", "fast");
        Limiter normal = registry.GetOrCreate("inventory");

        fast.Name.Should().Be("pricing");
        fast.TimeoutDuration.Should().Be(TimeSpan.FromMilliseconds(200));
        fast.CancelRunningTask.Should().BeFalse();
        normal.TimeoutDuration.Should().Be(TimeSpan.FromSeconds(2));
        registry.GetOrCreate("PRICING").Should().BeSameAs(fast);
    }

    [Fact]
    public void AddConfiguration_InvalidOptions_Throws()
    {
        var registry = new TimeLimiterRegistry();

        FluentActions.Invoking(() => registry.AddConfiguration("bad", new TimeLimiterOptions { TimeoutDuration = TimeSpan.FromTicks(-1) }))
            .Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void AddConfiguration_InheritingFromDefault_CopiesThenOverrides()
    {
        var registry = new TimeLimiterRegistry(new TimeLimiterOptions { TimeoutDuration = TimeSpan.FromSeconds(3) });

        registry.AddConfiguration("no-cancel", TimeLimiterRegistry.DefaultConfigurationName, o => o.CancelRunningTask = false);
        Limiter limiter = registry.GetOrCreate("x", "no-cancel");

        limiter.TimeoutDuration.Should().Be(TimeSpan.FromSeconds(3));
        limiter.CancelRunningTask.Should().BeFalse();
        registry.DefaultOptions.CancelRunningTask.Should().BeTrue("the base configuration was copied, not changed");
    }

    [Fact]
    public async Task GetOrCreate_SharedTimeProvider_TimesOutOnFakeClock()
    {
        var time = new FakeTimeProvider();
        var registry = new TimeLimiterRegistry(timeProvider: time);
        Limiter limiter = registry.GetOrCreate("a");

        ValueTask<int> call = limiter.ExecuteAsync(async ct => { await Task.Delay(System.Threading.Timeout.Infinite, ct); return 1; });
        time.Advance(Limit);

        (await CaptureAsync(call)).Should().BeOfType<TimeLimiterTimeoutException>();
    }
}
