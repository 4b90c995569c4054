using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resilience.Http.Tests.Telemetry;

namespace Resilience.DependencyInjection.Tests.Internal;

/// <summary>What a configuration reload does to the registries of <c>AddResilience</c>.</summary>
public sealed class ResilienceRegistriesTests : IDisposable
{
    private const string Threshold = "Resilience:CircuitBreaker:Instances:payments:FailureRateThreshold";

    private readonly IConfigurationRoot _root = new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Resilience:CircuitBreaker:Configs:default:SlidingWindowSize"] = "20",
            [Threshold] = "50",
            ["Resilience:Bulkhead:Instances:payments:MaxConcurrentCalls"] = "5",
            ["Resilience:RateLimiter:Instances:payments:LimitForPeriod"] = "10",
            ["Resilience:RateLimiter:Instances:payments:LimitRefreshPeriod"] = "00:00:01",
            ["Resilience:TimeLimiter:Instances:payments:TimeoutDuration"] = "00:00:02",
        })
        .Build();

    private readonly ServiceProvider _provider;

    public ResilienceRegistriesTests() =>
        _provider = new ServiceCollection().AddResilience(_root.GetSection("Resilience")).BuildServiceProvider();

    private CircuitBreakerRegistry Breakers => _provider.GetRequiredService<CircuitBreakerRegistry>();

    public void Dispose() => _provider.Dispose();

    [Fact]
    public void Reload_ThresholdChanged_BreakerReplacedInSameState()
    {
        CircuitBreaker before = Breakers.GetOrCreate("payments");
        before.TransitionToForcedOpenState();
        var replaced = new List<RegistryEntryEvent<CircuitBreaker>>();
        Breakers.EntryReplaced += replaced.Add;

        Reload(Threshold, "60");

        CircuitBreaker after = Breakers.GetOrCreate("payments");
        after.Should().NotBeSameAs(before);
        after.State.Should().Be(CircuitBreakerState.ForcedOpen);
        RegistryEntryEvent<CircuitBreaker> e = replaced.Should().ContainSingle().Subject;
        e.EventType.Should().Be(RegistryEntryEventType.Replaced);
        e.Name.Should().Be("payments");
        e.Instance.Should().BeSameAs(after);
        e.ReplacedInstance.Should().BeSameAs(before);
    }

    [Fact]
    public void Reload_WindowSizeChanged_BreakerStartsAgainClosed()
    {
        Breakers.GetOrCreate("payments").TransitionToOpenState();

        Reload("Resilience:CircuitBreaker:Instances:payments:SlidingWindowSize", "30");

        Breakers.GetOrCreate("payments").State.Should().Be(CircuitBreakerState.Closed);
    }

    [Fact]
    public void Reload_NothingChangedForTheInstance_KeepsSameInstances()
    {
        CircuitBreaker breaker = Breakers.GetOrCreate("payments");
        TimeLimiter limiter = _provider.GetRequiredService<TimeLimiterRegistry>().GetOrCreate("payments");

        Reload("Resilience:Retry:Instances:other:MaxAttempts", "2");

        Breakers.GetOrCreate("payments").Should().BeSameAs(breaker);
        _provider.GetRequiredService<TimeLimiterRegistry>().GetOrCreate("payments").Should().BeSameAs(limiter);
        _provider.GetRequiredService<RetryRegistry>().TryGet("other", out Retry? other).Should().BeTrue("an instance added by a reload is created");
        other!.Name.Should().Be("other");
    }

    [Fact]
    public void Reload_InvalidValue_RaisedToTheReloadAndLastGoodKept()
    {
        CircuitBreaker before = Breakers.GetOrCreate("payments");

        _root[Threshold] = "150";

        _root.Invoking(r => r.Reload()).Should().Throw<AggregateException>()
            .Which.InnerExceptions.Should().ContainSingle().Which.Should().BeOfType<OptionsValidationException>()
            .Which.Failures.Should().Equal("Resilience:CircuitBreaker:Instances:payments:FailureRateThreshold is 150, but it must be greater than 0 and at most 100 (percent).");
        Breakers.GetOrCreate("payments").Should().BeSameAs(before);

        Reload(Threshold, "55");

        Breakers.GetOrCreate("payments").Should().NotBeSameAs(before);
    }

    [Fact]
    public void Reload_BulkheadAndRateLimiterLimits_ChangedInPlace()
    {
        Bulkhead bulkhead = _provider.GetRequiredService<BulkheadRegistry>().GetOrCreate("payments");
        RequestRateLimiter limiter = _provider.GetRequiredService<RequestRateLimiterRegistry>().GetOrCreate("payments");

        _root["Resilience:Bulkhead:Instances:payments:MaxConcurrentCalls"] = "8";
        Reload("Resilience:RateLimiter:Instances:payments:LimitForPeriod", "20");

        _provider.GetRequiredService<BulkheadRegistry>().GetOrCreate("payments").Should().BeSameAs(bulkhead);
        bulkhead.GetMetrics().MaxAllowedConcurrentCalls.Should().Be(8);
        _provider.GetRequiredService<RequestRateLimiterRegistry>().GetOrCreate("payments").Should().BeSameAs(limiter);
        limiter.LimitForPeriod.Should().Be(20);
    }

    [Fact]
    public void Reload_NamedConfigurationAddedThenRemoved_RegistryFollows()
    {
        var source = new ReplaceableSource();
        IConfigurationRoot root = new ConfigurationBuilder().Add(source).Build();
        using ServiceProvider provider = new ServiceCollection().AddResilience(root.GetSection("Resilience")).BuildServiceProvider();
        var limiters = provider.GetRequiredService<TimeLimiterRegistry>();

        source.Provider.Replace(new() { ["Resilience:TimeLimiter:Configs:fast:TimeoutDuration"] = "00:00:00.100" });
        root.Reload();
        limiters.GetOrCreate("quick", "fast").TimeoutDuration.Should().Be(TimeSpan.FromMilliseconds(100));

        source.Provider.Replace([]);
        root.Reload();
        limiters.TryGetConfiguration("fast", out _).Should().BeFalse();
        limiters.GetOrCreate("quick").TimeoutDuration.Should().Be(TimeSpan.FromMilliseconds(100), "an instance created from a configuration keeps its options");
    }

    [Fact]
    public void Reload_InstanceCreatedOnDemandThenConfigured_RebuiltFromItsOptions()
    {
        TimeLimiter onDemand = _provider.GetRequiredService<TimeLimiterRegistry>().GetOrCreate("reports");

        Reload("Resilience:TimeLimiter:Instances:reports:TimeoutDuration", "00:00:07");

        TimeLimiter configured = _provider.GetRequiredService<TimeLimiterRegistry>().GetOrCreate("reports");
        configured.Should().NotBeSameAs(onDemand);
        configured.TimeoutDuration.Should().Be(TimeSpan.FromSeconds(7));
    }

    [Fact]
    public void Reload_InstanceReplacedBySomeoneElse_LeftToThem()
    {
        var mine = new CircuitBreaker("payments");
        Breakers.TryReplace("payments", mine, out _).Should().BeTrue();

        Reload(Threshold, "70");

        Breakers.GetOrCreate("payments").Should().BeSameAs(mine);
    }

    [Fact]
    public void Reload_InvalidValues_LoggedAtErrorOneFailurePerLineCountedAndNextValidReloadApplies()
    {
        var logs = new CapturingLoggerProvider("Resilience.Configuration");
        using var meters = new TestMeterFactory();
        using var counters = new CounterRecorder(meters);
        using ServiceProvider provider = new ServiceCollection()
            .AddSingleton<ILoggerFactory>(logs).AddSingleton<IMeterFactory>(meters)
            .AddResilience(_root.GetSection("Resilience")).BuildServiceProvider();
        CircuitBreakerRegistry breakers = provider.GetRequiredService<CircuitBreakerRegistry>();
        CircuitBreaker before = breakers.GetOrCreate("payments");

        _root[Threshold] = "150";
        _root.Invoking(r => r.Reload()).Should().Throw<AggregateException>();

        breakers.GetOrCreate("payments").Should().BeSameAs(before);
        var error = logs.Entries.Should().ContainSingle().Subject;
        error.Level.Should().Be(LogLevel.Error);
        error.Message.Should().Be(
            "Reloaded ResilienceOptions were rejected; the last valid options stay in force until the configuration is fixed:" + Environment.NewLine
            + "  Resilience:CircuitBreaker:Instances:payments:FailureRateThreshold is 150, but it must be greater than 0 and at most 100 (percent).");
        counters.Of("resilience.configuration.reload.rejections").Should().ContainSingle()
            .Which.Tags.Should().Equal(new Dictionary<string, object?> { ["resilience.options.type"] = "ResilienceOptions" });

        Reload(Threshold, "55");

        breakers.GetOrCreate("payments").Should().NotBeSameAs(before);
        logs.Entries.Should().ContainSingle();
    }

    private void Reload(string key, string value)
    {
        _root[key] = value;
        _root.Reload();
    }
}

/// <summary>A configuration source whose whole content a test replaces before a reload.</summary>
internal sealed class ReplaceableSource : IConfigurationSource
{
    public ReplaceableProvider Provider { get; } = new();

    public IConfigurationProvider Build(IConfigurationBuilder builder) => Provider;
}

/// <summary>The provider of <see cref="ReplaceableSource"/>.</summary>
internal sealed class ReplaceableProvider : ConfigurationProvider
{
    public void Replace(Dictionary<string, string?> data) => Data = new Dictionary<string, string?>(data, StringComparer.OrdinalIgnoreCase);
}

/// <summary>A meter factory whose meters carry it as their scope, so that a listener hears only this test's meters.</summary>
internal sealed class TestMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options.Name, options.Version, options.Tags, scope: this);
        _meters.Add(meter);
        return meter;
    }

    public void Dispose() => _meters.ForEach(m => m.Dispose());
}
