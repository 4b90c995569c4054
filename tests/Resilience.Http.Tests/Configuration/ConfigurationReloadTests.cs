using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resilience.Http.Internal;
using Resilience.Http.Tests.Telemetry;

namespace Resilience.Http.Tests.Configuration;

public class ConfigurationReloadTests
{
    private const string Threshold = "Resilience:CircuitBreaker:Instances:inventory:FailureRateThreshold";

    private readonly IConfigurationRoot _root = new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Resilience:CircuitBreaker:Configs:default:SlidingWindowSize"] = "20",
            [Threshold] = "50",
            ["Resilience:TimeLimiter:Instances:other:TimeoutDuration"] = "00:00:02",
        })
        .Build();

    [Fact]
    public void Reload_ThresholdChanged_NewBreakerKeepsOpenState()
    {
        using ServiceProvider provider = Start(out ReloadableSlot<HttpCircuitBreakerOptions, BreakerSet> slot);
        CircuitBreaker before = slot.Current.Single!;
        before.TransitionToOpenState();

        _root[Threshold] = "60";
        _root.Reload();

        CircuitBreaker after = slot.Current.Single!;
        after.Should().NotBeSameAs(before);
        after.State.Should().Be(CircuitBreakerState.Open);
        slot.Current.Options.FailureRateThreshold.Should().Be(60);
        slot.Current.Options.SlidingWindowSize.Should().Be(20);
    }

    [Fact]
    public void Reload_NothingChangedForTheInstance_KeepsSameBreaker()
    {
        using ServiceProvider provider = Start(out ReloadableSlot<HttpCircuitBreakerOptions, BreakerSet> slot);
        BreakerSet before = slot.Current;

        _root["Resilience:TimeLimiter:Instances:other:TimeoutDuration"] = "00:00:03";
        _root.Reload();

        slot.Current.Should().BeSameAs(before);
    }

    [Theory]
    [InlineData("150", "Resilience:CircuitBreaker:Instances:inventory:FailureRateThreshold is 150, but it must be greater than 0 and at most 100 (percent).")]
    [InlineData("abc", "Resilience:CircuitBreaker:Instances:inventory:FailureRateThreshold is 'abc', but it must be a number (Single).")]
    public void Reload_InvalidValue_KeepsLastGoodBreaker(string value, string failure)
    {
        using ServiceProvider provider = Start(out ReloadableSlot<HttpCircuitBreakerOptions, BreakerSet> slot);
        BreakerSet before = slot.Current;

        _root[Threshold] = value;

        // The options monitor validates before it notifies: the failure goes to whoever triggered the reload (a file
        // watcher swallows it), and the handlers are not told of options that do not exist.
        _root.Invoking(r => r.Reload()).Should().Throw<AggregateException>()
            .Which.InnerExceptions.Should().ContainSingle().Which.Should().BeOfType<OptionsValidationException>()
            .Which.Failures.Should().Equal(failure);
        slot.Current.Should().BeSameAs(before);
        slot.Current.Options.FailureRateThreshold.Should().Be(50);
        provider.GetRequiredService<IOptionsMonitor<HttpCircuitBreakerOptions>>().Invoking(m => m.Get("client/inventory"))
            .Should().Throw<OptionsValidationException>().Which.Failures.Should().Equal(failure);

        _root[Threshold] = "55";
        _root.Reload();

        slot.Current.Options.FailureRateThreshold.Should().Be(55);
    }

    [Fact]
    public void Reload_StandardComposition_RebuildsChangedLayerOnly()
    {
        using ServiceProvider provider = new ServiceCollection()
            .AddHttpClient("inventory").AddResilience(_root.GetSection("Resilience")).Services
            .BuildServiceProvider();
        using HttpClient client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("inventory");
        HttpResilienceRegistry registry = provider.GetRequiredService<HttpResilienceRegistry>();
        var breakers = registry.Slots.Select(s => s.Slot).OfType<ReloadableSlot<HttpCircuitBreakerOptions, BreakerSet>>().Single();
        var retry = registry.Slots.Select(s => s.Slot).OfType<ReloadableSlot<HttpRetryOptions, HttpRetryPolicy>>().Single();
        BreakerSet breakerBefore = breakers.Current;
        HttpRetryPolicy retryBefore = retry.Current;

        _root[Threshold] = "70";
        _root.Reload();

        breakers.Current.Should().NotBeSameAs(breakerBefore);
        breakers.Current.Options.FailureRateThreshold.Should().Be(70);
        retry.Current.Should().BeSameAs(retryBefore);
    }

    [Fact]
    public void Reload_StandardCompositionInvalidValue_ClientsStillCreatedWithLastGoodOptions()
    {
        using ServiceProvider provider = new ServiceCollection()
            .AddHttpClient("inventory").AddResilience(_root.GetSection("Resilience")).Services
            .BuildServiceProvider();
        IHttpClientFactory factory = provider.GetRequiredService<IHttpClientFactory>();
        factory.CreateClient("inventory").Dispose();
        var breakers = provider.GetRequiredService<HttpResilienceRegistry>().Slots.Select(s => s.Slot).OfType<ReloadableSlot<HttpCircuitBreakerOptions, BreakerSet>>().Single();
        BreakerSet before = breakers.Current;

        _root[Threshold] = "0";
        _root.Invoking(r => r.Reload()).Should().Throw<AggregateException>();

        factory.Invoking(f => f.CreateClient("inventory").Dispose()).Should().NotThrow();
        breakers.Current.Should().BeSameAs(before);
    }

    [Fact]
    public void Reload_StandardCompositionInvalidValue_RejectionLoggedOnceWithKeyAndCounted()
    {
        var logs = new CapturingLoggerProvider("Resilience.Configuration");
        using ServiceProvider provider = new ServiceCollection()
            .AddLogging(b => b.AddProvider(logs)).AddMetrics()
            .AddHttpClient("inventory").AddResilience(_root.GetSection("Resilience")).Services
            .BuildServiceProvider();
        using var counters = new CounterRecorder(provider.GetRequiredService<IMeterFactory>());
        provider.GetRequiredService<IHttpClientFactory>().CreateClient("inventory").Dispose();
        var breakers = provider.GetRequiredService<HttpResilienceRegistry>().Slots.Select(s => s.Slot).OfType<ReloadableSlot<HttpCircuitBreakerOptions, BreakerSet>>().Single();

        _root[Threshold] = "150";
        _root.Invoking(r => r.Reload()).Should().Throw<AggregateException>();

        // Six layers follow the client's options; the reload is validated, logged and counted once.
        breakers.Current.Options.FailureRateThreshold.Should().Be(50);
        logs.Entries.Should().ContainSingle().Which.Should().Match<(LogLevel Level, EventId EventId, string Message, Exception? Exception)>(e =>
            e.Level == LogLevel.Error && e.Exception == null
            && e.Message.StartsWith("Reloaded HttpResilienceOptions 'inventory' were rejected;", StringComparison.Ordinal)
            && e.Message.Contains(Environment.NewLine + "  " + Threshold + " is 150", StringComparison.Ordinal));
        counters.Of("resilience.configuration.reload.rejections").Should().ContainSingle()
            .Which.Tags.Should().Contain("resilience.options.type", nameof(HttpResilienceOptions)).And.Contain("resilience.options.name", "inventory");

        _root[Threshold] = "65";
        _root.Reload();

        breakers.Current.Options.FailureRateThreshold.Should().Be(65);
        logs.Entries.Should().ContainSingle();
    }

    private ServiceProvider Start(out ReloadableSlot<HttpCircuitBreakerOptions, BreakerSet> slot)
    {
        ServiceProvider provider = new ServiceCollection()
            .AddHttpClient("client").AddCircuitBreaker("inventory", _root.GetSection("Resilience")).Services
            .BuildServiceProvider();
        provider.GetRequiredService<IHttpClientFactory>().CreateClient("client").Dispose();
        slot = provider.GetRequiredService<HttpResilienceRegistry>().Slots
            .Select(s => s.Slot).OfType<ReloadableSlot<HttpCircuitBreakerOptions, BreakerSet>>().Single();
        return provider;
    }
}
