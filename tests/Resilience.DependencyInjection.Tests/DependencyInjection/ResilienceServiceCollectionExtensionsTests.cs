using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static Resilience.DependencyInjection.Tests.TestConfiguration;

namespace Resilience.DependencyInjection.Tests.DependencyInjection;

public sealed class ResilienceServiceCollectionExtensionsTests : IDisposable
{
    private static readonly IConfigurationSection Root = Section("""
        {
          "Resilience": {
            "CircuitBreaker": {
              "Configs": {
                "default": { "SlidingWindowSize": 4, "MinimumNumberOfCalls": 4 },
                "strict": { "FailureRateThreshold": 10, "SlidingWindowSize": 2, "MinimumNumberOfCalls": 2 }
              },
              "Instances": {
                "payments": { "InitialState": "Disabled" },
                "ledger": { "BaseConfig": "strict" }
              }
            },
            "Retry": {
              "Configs": { "default": { "MaxAttempts": 2, "WaitDuration": "00:00:00" } },
              "Instances": { "payments": { "MaxAttempts": 4 } }
            },
            "TimeLimiter": {
              "Configs": { "default": { "TimeoutDuration": "00:00:04" }, "fast": { "TimeoutDuration": "00:00:00.200" } },
              "Instances": { "payments": { "TimeoutDuration": "00:00:02", "CancelRunningTask": false } }
            },
            "Bulkhead": { "Instances": { "payments": { "MaxConcurrentCalls": 7 } } },
            "ThreadPoolBulkhead": { "Instances": { "reports": { "CoreThreadPoolSize": 1, "MaxThreadPoolSize": 3, "QueueCapacity": 5 } } },
            "RateLimiter": { "Instances": { "payments": { "LimitForPeriod": 9, "LimitRefreshPeriod": "00:00:01", "TimeoutDuration": "00:00:00" } } }
          }
        }
        """);

    private readonly FakeTimeProvider _time = new();
    private readonly ServiceProvider _provider;

    public ResilienceServiceCollectionExtensionsTests() =>
        _provider = Services(s => s.AddSingleton<TimeProvider>(_time).AddResilience(Root));

    public void Dispose() => _provider.Dispose();

    [Fact]
    public void AddResilience_Section_StartValidationPasses() => StartSucceeds(_provider);

    [Fact]
    public void CircuitBreakerRegistry_ConfiguredInstance_BuiltFromItsOptionsWithContainerTime()
    {
        var registry = _provider.GetRequiredService<CircuitBreakerRegistry>();

        registry.TryGet("payments", out CircuitBreaker? payments).Should().BeTrue("configured instances exist from the start");
        payments!.State.Should().Be(CircuitBreakerState.Disabled);
        payments.TimeProvider.Should().BeSameAs(_time);
        registry.GetOrCreate("payments").Should().BeSameAs(payments);
    }

    [Fact]
    public void CircuitBreakerRegistry_InstanceWithBaseConfig_OpensAtItsThreshold()
    {
        CircuitBreaker ledger = _provider.GetRequiredService<CircuitBreakerRegistry>().GetOrCreate("ledger");

        Fail(ledger);
        Fail(ledger);

        ledger.State.Should().Be(CircuitBreakerState.Open, "'strict' sets a window of 2 calls");
    }

    [Fact]
    public void CircuitBreakerRegistry_NameNotConfigured_CreatedFromDefaultConfiguration()
    {
        CircuitBreaker other = _provider.GetRequiredService<CircuitBreakerRegistry>().GetOrCreate("other");

        Fail(other);
        Fail(other);
        Fail(other);
        other.State.Should().Be(CircuitBreakerState.Closed, "the default configuration needs 4 calls");
        Fail(other);
        other.State.Should().Be(CircuitBreakerState.Open);
        other.TimeProvider.Should().BeSameAs(_time);
    }

    [Fact]
    public void RetryRegistry_ConfiguredAndDefault_MakeTheirAttempts()
    {
        var registry = _provider.GetRequiredService<RetryRegistry>();

        Attempts(registry.GetOrCreate("payments")).Should().Be(4);
        Attempts(registry.GetOrCreate("other")).Should().Be(2);
        registry.GetOrCreate("payments").TimeProvider.Should().BeSameAs(_time);
    }

    [Fact]
    public void TimeLimiterRegistry_InstanceDefaultAndNamedConfiguration_EachTimeout()
    {
        var registry = _provider.GetRequiredService<TimeLimiterRegistry>();

        TimeLimiter payments = registry.GetOrCreate("payments");
        payments.TimeoutDuration.Should().Be(TimeSpan.FromSeconds(2));
        payments.CancelRunningTask.Should().BeFalse();
        registry.GetOrCreate("other").TimeoutDuration.Should().Be(TimeSpan.FromSeconds(4));
        registry.GetOrCreate("quick", "fast").TimeoutDuration.Should().Be(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void BulkheadRegistry_ConfiguredInstance_HasItsLimit()
    {
        Bulkhead payments = _provider.GetRequiredService<BulkheadRegistry>().GetOrCreate("payments");

        payments.GetMetrics().MaxAllowedConcurrentCalls.Should().Be(7);
        payments.TimeProvider.Should().BeSameAs(_time);
    }

    [Fact]
    public void ThreadPoolBulkheadRegistry_ConfiguredInstance_HasItsPoolAndQueue()
    {
        ThreadPoolBulkheadMetrics metrics = _provider.GetRequiredService<ThreadPoolBulkheadRegistry>().GetOrCreate("reports").GetMetrics();

        metrics.CoreThreadPoolSize.Should().Be(1);
        metrics.MaximumThreadPoolSize.Should().Be(3);
        metrics.QueueCapacity.Should().Be(5);
    }

    [Fact]
    public void RequestRateLimiterRegistry_ConfiguredInstance_HasItsLimit()
    {
        RequestRateLimiter payments = _provider.GetRequiredService<RequestRateLimiterRegistry>().GetOrCreate("payments");

        payments.LimitForPeriod.Should().Be(9);
        payments.LimitRefreshPeriod.Should().Be(TimeSpan.FromSeconds(1));
        payments.TimeoutDuration.Should().Be(TimeSpan.Zero);
        payments.TimeProvider.Should().BeSameAs(_time);
    }

    [Fact]
    public void AddResilience_Configure_CreatesInstancesSetByCode()
    {
        using ServiceProvider provider = Services(s => s.AddResilience(o =>
        {
            o.CircuitBreaker.Instances["payments"] = new CircuitBreakerOptions { InitialState = CircuitBreakerState.ForcedOpen };
            o.TimeLimiter.Configs["default"] = new TimeLimiterOptions { TimeoutDuration = TimeSpan.FromSeconds(3) };
        }));

        StartSucceeds(provider);
        provider.GetRequiredService<CircuitBreakerRegistry>().GetOrCreate("payments").State.Should().Be(CircuitBreakerState.ForcedOpen);
        provider.GetRequiredService<TimeLimiterRegistry>().GetOrCreate("any").TimeoutDuration.Should().Be(TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void AddResilience_ConfigureAfterSection_ChangesBoundOptions()
    {
        using ServiceProvider provider = Services(s => s
            .AddResilience(Root)
            .AddResilience(o => o.Bulkhead.Instances["payments"].MaxConcurrentCalls = 3));

        provider.GetRequiredService<BulkheadRegistry>().GetOrCreate("payments").GetMetrics().MaxAllowedConcurrentCalls.Should().Be(3);
    }

    [Fact]
    public void AddResilience_NoArguments_RegistersEachRegistryOnceWithLibraryDefaults()
    {
        using ServiceProvider provider = Services(s => s.AddResilience().AddResilience());

        StartSucceeds(provider);
        provider.GetRequiredService<CircuitBreakerRegistry>().Should().BeSameAs(provider.GetRequiredService<CircuitBreakerRegistry>());
        provider.GetServices<CircuitBreakerRegistry>().Should().ContainSingle();
        provider.GetRequiredService<RetryRegistry>().DefaultOptions.MaxAttempts.Should().Be(new RetryOptions().MaxAttempts);
        provider.GetRequiredService<TimeLimiterRegistry>().Count.Should().Be(0);
        provider.GetRequiredService<BulkheadRegistry>().Should().NotBeNull();
        provider.GetRequiredService<ThreadPoolBulkheadRegistry>().Should().NotBeNull();
        provider.GetRequiredService<RequestRateLimiterRegistry>().Should().NotBeNull();
    }

    [Fact]
    public void AddResilience_ClaimedInstance_NeitherValidatedNorCreated()
    {
        using ServiceProvider provider = Services(s => s
            .AddSingleton(new ResilienceConfigurationClaim(ResilienceConfiguration.CircuitBreaker, "inventory"))
            .AddResilience(Section("""
                { "Resilience": { "CircuitBreaker": { "Instances": { "inventory": { "FailureStatusCodes": [ 503 ] }, "payments": { } } } } }
                """)));

        StartSucceeds(provider);
        var registry = provider.GetRequiredService<CircuitBreakerRegistry>();
        registry.TryGet("inventory", out _).Should().BeFalse("the front-end that claims it publishes its own");
        registry.TryGet("payments", out _).Should().BeTrue();
    }

    [Fact]
    public async Task Dispose_Container_DisposesThreadPoolBulkheads()
    {
        ThreadPoolBulkhead reports;
        using (ServiceProvider provider = Services(s => s.AddResilience(Root)))
        {
            reports = provider.GetRequiredService<ThreadPoolBulkheadRegistry>().GetOrCreate("reports");
        }

        await reports.Awaiting(r => r.ExecuteAsync(static _ => ValueTask.FromResult(1)).AsTask()).Should().ThrowAsync<ObjectDisposedException>();
    }

    private static void Fail(CircuitBreaker breaker) =>
        ((IResilienceLayer)breaker).Invoking(b => b.Execute<int, int>(static _ => throw new InvalidOperationException("down"), 0))
            .Should().Throw<InvalidOperationException>();

    private static int Attempts(Retry retry)
    {
        int[] attempts = [0];
        ((IResilienceLayer)retry).Invoking(r => r.Execute<int[], int>(static a => { a[0]++; throw new InvalidOperationException("down"); }, attempts))
            .Should().Throw<InvalidOperationException>();
        return attempts[0];
    }
}
