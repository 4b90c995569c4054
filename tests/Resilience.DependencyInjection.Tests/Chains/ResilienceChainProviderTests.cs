using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using static Resilience.DependencyInjection.Tests.TestConfiguration;

namespace Resilience.DependencyInjection.Tests.Chains;

/// <summary>Named chains resolved from DI: every primitive of one instance name, in Resilience4j's order, following reloads.</summary>
public class ResilienceChainProviderTests
{
    private const string Json = """
        {
          "Resilience": {
            "CircuitBreaker": { "Instances": { "inventory": { "SlidingWindowSize": 4, "MinimumNumberOfCalls": 4 }, "pricing": {} } },
            "Retry": { "Instances": { "inventory": { "MaxAttempts": 3, "WaitDuration": "00:00:00.001" } } },
            "Bulkhead": { "Instances": { "inventory": { "MaxConcurrentCalls": 2 } } },
            "TimeLimiter": { "Instances": { "pricing": { "TimeoutDuration": "00:00:05" } } },
            "RateLimiter": { "Instances": { "reports": {} } },
            "ThreadPoolBulkhead": { "Instances": { "exports": {} } }
          }
        }
        """;

    [Fact]
    public void GetChain_SynchronousPrimitives_StacksThemInResilience4jOrderAndRunsSynchronousCalls()
    {
        using ServiceProvider provider = Services(s => s.AddResilience(Section(Json)));
        IResilienceChainProvider chains = provider.GetRequiredService<IResilienceChainProvider>();
        CircuitBreaker breaker = provider.GetRequiredService<CircuitBreakerRegistry>().GetOrCreate("inventory");

        AsyncResilienceChain chain = chains.GetChain("inventory");
        ResilienceChain sync = chain.Should().BeAssignableTo<ResilienceChain>().Subject;
        int result = sync.Execute(static c => ++c.Calls < 3 ? throw new IOException("flaky") : c.Calls, new Counter());

        result.Should().Be(3, "the retry is outside the breaker and the breaker saw each attempt");
        breaker.GetMetrics().NumberOfBufferedCalls.Should().Be(3);
        breaker.GetMetrics().NumberOfFailedCalls.Should().Be(2);
        chains.GetChain("INVENTORY").Should().BeSameAs(chain, "chains are cached, names compared without regard to case");
    }

    [Fact]
    public async Task GetChain_WithTimeLimiter_IsAsynchronousOnly()
    {
        using ServiceProvider provider = Services(s => s.AddResilience(Section(Json)));

        AsyncResilienceChain chain = provider.GetRequiredService<IResilienceChainProvider>().GetChain("pricing");

        chain.Should().NotBeAssignableTo<ResilienceChain>();
        (await chain.ExecuteAsync(static (_, _) => ValueTask.FromResult(42), 0)).Should().Be(42);
    }

    [Fact]
    public async Task GetChain_BreakerForcedOpenThroughRegistry_NextCallRefusedWithoutRunning()
    {
        using ServiceProvider provider = Services(s => s.AddResilience(Section(Json)));
        AsyncResilienceChain chain = provider.GetRequiredService<IResilienceChainProvider>().GetChain("inventory");
        provider.GetRequiredService<CircuitBreakerRegistry>().GetOrCreate("inventory").TransitionToForcedOpenState();
        bool ran = false;

        Func<Task> call = async () => await chain.ExecuteAsync((_, _) => { ran = true; return ValueTask.FromResult(1); }, 0);

        await call.Should().ThrowAsync<CallNotPermittedException>();
        ran.Should().BeFalse();
    }

    [Fact]
    public void GetChain_ReloadReplacesTheBreaker_ChainResolvedBeforeUsesTheNewOne()
    {
        IConfigurationRoot root = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Resilience:CircuitBreaker:Instances:inventory:SlidingWindowSize"] = "4",
        }).Build();
        using ServiceProvider provider = Services(s => s.AddResilience(root.GetSection("Resilience")));
        var registry = provider.GetRequiredService<CircuitBreakerRegistry>();
        ResilienceChain chain = (ResilienceChain)provider.GetRequiredService<IResilienceChainProvider>().GetChain("inventory");
        CircuitBreaker before = registry.GetOrCreate("inventory");

        root["Resilience:CircuitBreaker:Instances:inventory:FailureRateThreshold"] = "25";
        root.Reload();
        CircuitBreaker after = registry.GetOrCreate("inventory");
        after.Should().NotBeSameAs(before, "a changed breaker is replaced in its registry");
        after.TransitionToForcedOpenState();

        Action call = () => chain.Execute(static _ => 1, 0);
        call.Should().Throw<CallNotPermittedException>("the chain follows the registry to the new breaker");
    }

    [Fact]
    public async Task GetChain_ReloadReplacesTheBreakerInsideALongerChain_AsynchronousCallsUseTheNewOne()
    {
        // Retry, breaker and time limiter: a chain of built-in primitives, which Core fuses through its forwarding layers.
        IConfigurationRoot root = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Resilience:Retry:Instances:inventory:MaxAttempts"] = "2",
            ["Resilience:CircuitBreaker:Instances:inventory:SlidingWindowSize"] = "4",
            ["Resilience:TimeLimiter:Instances:inventory:TimeoutDuration"] = "00:00:05",
        }).Build();
        using ServiceProvider provider = Services(s => s.AddResilience(root.GetSection("Resilience")));
        var breakers = provider.GetRequiredService<CircuitBreakerRegistry>();
        Retry retry = provider.GetRequiredService<RetryRegistry>().GetOrCreate("inventory");
        AsyncResilienceChain chain = provider.GetRequiredService<IResilienceChainProvider>().GetChain("inventory");
        CircuitBreaker before = breakers.GetOrCreate("inventory");
        (await chain.ExecuteAsync(static (s, _) => new ValueTask<int>(s), 1)).Should().Be(1);

        root["Resilience:CircuitBreaker:Instances:inventory:FailureRateThreshold"] = "25";
        root.Reload();
        CircuitBreaker after = breakers.GetOrCreate("inventory");
        after.Should().NotBeSameAs(before, "a changed breaker is replaced in its registry");
        after.TransitionToForcedOpenState();

        await FluentActions.Awaiting(() => chain.ExecuteAsync(static (s, _) => new ValueTask<int>(s), 2).AsTask())
            .Should().ThrowAsync<CallNotPermittedException>("the chain follows the registry to the new breaker");
        before.GetMetrics().NumberOfSuccessfulCalls.Should().Be(1, "the first call went through the breaker of its time");
        after.GetMetrics().NumberOfNotPermittedCalls.Should().Be(1, "a refusal is not retried");
        retry.GetMetrics().NumberOfSuccessfulCallsWithoutRetryAttempt.Should().Be(1);
    }

    [Fact]
    public void GetChain_UnknownName_ThrowsListingTheKnownNames()
    {
        using ServiceProvider provider = Services(s => s.AddResilience(Section(Json)));

        Action get = () => provider.GetRequiredService<IResilienceChainProvider>().GetChain("inventroy");

        get.Should().Throw<KeyNotFoundException>().WithMessage("*'inventroy'*: exports, inventory, pricing, reports.");
    }

    private sealed class Counter
    {
        public int Calls { get; set; }
    }
}
