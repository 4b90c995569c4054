using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static Resilience.DependencyInjection.Tests.TestConfiguration;

namespace Resilience.DependencyInjection.Tests.Chains;

/// <summary>Chains of explicitly named layers: what the generated decorators of the attributes resolve.</summary>
public class ResilienceChainProviderLayerTests
{
    private const string Json = """
        {
          "Resilience": {
            "CircuitBreaker": {
              "Configs": { "shared": { "SlidingWindowSize": 2, "MinimumNumberOfCalls": 2 } },
              "Instances": { "inventory": { "SlidingWindowSize": 4, "MinimumNumberOfCalls": 4 } }
            },
            "Retry": { "Instances": { "inventory": { "MaxAttempts": 3, "WaitDuration": "00:00:00.001" } } },
            "RateLimiter": { "Instances": { "inventory": { "LimitForPeriod": 5, "LimitRefreshPeriod": "00:01:00", "TimeoutDuration": "00:00:00" } } },
            "TimeLimiter": { "Instances": { "pricing": { "TimeoutDuration": "00:00:05" } } }
          }
        }
        """;

    [Fact]
    public void GetChain_Layers_StacksExactlyThoseOutermostFirst()
    {
        using ServiceProvider provider = Services(s => s.AddResilience(Section(Json)));
        IResilienceChainProvider chains = provider.GetRequiredService<IResilienceChainProvider>();
        CircuitBreaker breaker = provider.GetRequiredService<CircuitBreakerRegistry>().GetOrCreate("inventory");

        var chain = (ResilienceChain)chains.GetChain(
            new ResilienceLayerName(ResilienceConfiguration.Retry, "inventory"),
            new ResilienceLayerName(ResilienceConfiguration.CircuitBreaker, "inventory"));
        int calls = 0;
        Action run = () => chain.Execute(_ => { calls++; throw new IOException("down"); }, 0);

        run.Should().Throw<IOException>();
        calls.Should().Be(3, "the retry is outermost and makes three attempts");
        breaker.GetMetrics().NumberOfFailedCalls.Should().Be(3, "the breaker inside sees every attempt");
        chain.Layers.Should().HaveCount(2, "the bulkhead or rate limiter of the same name are not part of it");
    }

    [Fact]
    public void GetChain_SameLayersTwice_ReturnsTheCachedChain()
    {
        using ServiceProvider provider = Services(s => s.AddResilience(Section(Json)));
        IResilienceChainProvider chains = provider.GetRequiredService<IResilienceChainProvider>();

        AsyncResilienceChain first = chains.GetChain(new ResilienceLayerName(ResilienceConfiguration.CircuitBreaker, "inventory"));
        AsyncResilienceChain second = chains.GetChain(new ResilienceLayerName(ResilienceConfiguration.CircuitBreaker, "INVENTORY"));
        AsyncResilienceChain other = chains.GetChain(new ResilienceLayerName(ResilienceConfiguration.Retry, "inventory"));

        second.Should().BeSameAs(first, "a decorator constructed per scope must not build and subscribe a new chain each time");
        other.Should().NotBeSameAs(first);
    }

    [Fact]
    public void GetChain_MissingInstanceWithConfiguration_CreatesItFromThatSharedConfiguration()
    {
        using ServiceProvider provider = Services(s => s.AddResilience(Section(Json)));

        var chain = (ResilienceChain)provider.GetRequiredService<IResilienceChainProvider>().GetChain(new ResilienceLayerName(ResilienceConfiguration.CircuitBreaker, "orders", "shared"));
        for (int i = 0; i < 2; i++)
        {
            ((Action)(() => chain.Execute<int, int>(static _ => throw new IOException("down"), 0))).Should().Throw<IOException>();
        }

        provider.GetRequiredService<CircuitBreakerRegistry>().GetOrCreate("orders").State.Should().Be(CircuitBreakerState.Open, "the shared configuration opens after two failed calls of two");
    }

    [Fact]
    public void GetChain_UnknownSharedConfiguration_Throws()
    {
        using ServiceProvider provider = Services(s => s.AddResilience(Section(Json)));

        Action get = () => provider.GetRequiredService<IResilienceChainProvider>().GetChain(new ResilienceLayerName(ResilienceConfiguration.CircuitBreaker, "orders", "missing"));

        get.Should().Throw<ConfigurationNotFoundException>().WithMessage("*missing*");
    }

    [Fact]
    public async Task GetChain_RateLimiterWithPermits_TakesThatManyPermitsPerCall()
    {
        using ServiceProvider provider = Services(s => s.AddResilience(Section(Json)));
        IResilienceChainProvider chains = provider.GetRequiredService<IResilienceChainProvider>();
        var chain = (ResilienceChain)chains.GetChain(new ResilienceLayerName(ResilienceConfiguration.RateLimiter, "inventory", permits: 2));

        chain.Execute(static _ => 1, 0);
        (await chain.ExecuteAsync(static (_, _) => ValueTask.FromResult(2), 0)).Should().Be(2);
        Action third = () => chain.Execute(static _ => 3, 0);

        third.Should().Throw<RequestNotPermittedException>("two calls of two permits left one of five");
        provider.GetRequiredService<RequestRateLimiterRegistry>().GetOrCreate("inventory").GetMetrics().AvailablePermissions.Should().Be(1);
    }

    [Fact]
    public async Task GetChain_RateLimiterWithPermitsThatMustWait_RunsTheCallOnceTheyAreGranted()
    {
        var time = new FakeTimeProvider();
        using ServiceProvider provider = Services(s => s.AddSingleton<TimeProvider>(time).AddResilience(Section("""
            { "Resilience": { "RateLimiter": { "Instances": { "slow": { "LimitForPeriod": 2, "LimitRefreshPeriod": "00:00:01", "TimeoutDuration": "00:00:05" } } } } }
            """)));
        AsyncResilienceChain chain = provider.GetRequiredService<IResilienceChainProvider>().GetChain(new ResilienceLayerName(ResilienceConfiguration.RateLimiter, "slow", permits: 2));
        (await chain.ExecuteAsync(static (_, _) => ValueTask.FromResult(1), 0)).Should().Be(1);

        ValueTask<int> waiting = chain.ExecuteAsync(static (_, _) => ValueTask.FromResult(2), 0);
        waiting.IsCompleted.Should().BeFalse("both permits of this period are taken");
        time.Advance(TimeSpan.FromSeconds(1));

        (await waiting.AsTask().WaitAsync(TimeSpan.FromSeconds(30))).Should().Be(2);
    }

    [Fact]
    public void GetChain_EveryPrimitive_StacksEachFromItsRegistry()
    {
        using ServiceProvider provider = Services(s => s.AddResilience(Section(Json)));

        AsyncResilienceChain chain = provider.GetRequiredService<IResilienceChainProvider>().GetChain(
            new ResilienceLayerName(ResilienceConfiguration.Retry, "all"),
            new ResilienceLayerName(ResilienceConfiguration.CircuitBreaker, "all"),
            new ResilienceLayerName(ResilienceConfiguration.RateLimiter, "all"),
            new ResilienceLayerName(ResilienceConfiguration.TimeLimiter, "all"),
            new ResilienceLayerName(ResilienceConfiguration.Bulkhead, "all"),
            new ResilienceLayerName(ResilienceConfiguration.ThreadPoolBulkhead, "all"));

        chain.Layers.Should().HaveCount(6);
        provider.GetRequiredService<BulkheadRegistry>().TryGet("all", out _).Should().BeTrue("a missing instance is created from the default configuration");
        provider.GetRequiredService<ThreadPoolBulkheadRegistry>().TryGet("all", out _).Should().BeTrue();
        provider.GetRequiredService<RequestRateLimiterRegistry>().TryGet("all", out _).Should().BeTrue();
    }

    [Fact]
    public void GetChain_TimeLimiterLayer_IsAsynchronousOnly()
    {
        using ServiceProvider provider = Services(s => s.AddResilience(Section(Json)));

        AsyncResilienceChain chain = provider.GetRequiredService<IResilienceChainProvider>().GetChain(new ResilienceLayerName(ResilienceConfiguration.TimeLimiter, "pricing"));

        chain.Should().NotBeAssignableTo<ResilienceChain>();
    }

    [Fact]
    public void GetChain_NoLayers_Throws()
    {
        using ServiceProvider provider = Services(s => s.AddResilience(Section(Json)));
        IResilienceChainProvider chains = provider.GetRequiredService<IResilienceChainProvider>();

        ((Action)(() => chains.GetChain(ReadOnlySpan<ResilienceLayerName>.Empty))).Should().Throw<ArgumentException>();
        ((Action)(() => chains.GetChain(default(ResilienceLayerName)))).Should().Throw<ArgumentException>().WithMessage("*default value*");
    }

    [Theory]
    [InlineData("Retri", "inventory", 1, "*Unknown primitive 'Retri'*")]
    [InlineData("Retry", " ", 1, "*name*")]
    [InlineData("Retry", "inventory", 2, "*Permits of Retry 'inventory' must be 1*")]
    [InlineData("RateLimiter", "inventory", 0, "*Permits of RateLimiter 'inventory'*")]
    public void ResilienceLayerName_Invalid_ThrowsNamingTheProblem(string primitive, string name, int permits, string message)
    {
        Action create = () => _ = new ResilienceLayerName(primitive, name, permits: permits);

        create.Should().Throw<ArgumentException>().WithMessage(message);
    }

    [Fact]
    public void ResilienceLayerName_Equality_IgnoresCaseOfNames()
    {
        var a = new ResilienceLayerName(ResilienceConfiguration.Retry, "inventory", "Shared");
        var b = new ResilienceLayerName(ResilienceConfiguration.Retry, "INVENTORY", "shared");

        (a == b).Should().BeTrue();
        a.GetHashCode().Should().Be(b.GetHashCode());
        (a != new ResilienceLayerName(ResilienceConfiguration.Retry, "inventory")).Should().BeTrue();
        (new ResilienceLayerName(ResilienceConfiguration.Retry, "inventory") == new ResilienceLayerName(ResilienceConfiguration.Retry, "inventory")).Should().BeTrue();
        new ResilienceLayerName(ResilienceConfiguration.Retry, "x").GetHashCode().Should().Be(new ResilienceLayerName(ResilienceConfiguration.Retry, "X").GetHashCode());
        default(ResilienceLayerName).GetHashCode().Should().Be(default(ResilienceLayerName).GetHashCode(), "the default value hashes without throwing");
        new ResilienceLayerName(ResilienceConfiguration.Retry, "x").ToString().Should().Be("Retry:x");
        new ResilienceLayerName(ResilienceConfiguration.RateLimiter, "x", permits: 2).ToString().Should().Be("RateLimiter:x (2 permits)");
        a.Equals((object)b).Should().BeTrue();
        new ResilienceLayerName(ResilienceConfiguration.RateLimiter, "x", "c", 3).ToString().Should().Be("RateLimiter:x (configuration c) (3 permits)");
    }
}
