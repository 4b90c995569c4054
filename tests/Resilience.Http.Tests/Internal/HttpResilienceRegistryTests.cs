using System.Net;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Resilience.Http.Internal;
using Resilience.Http.Tests.Handlers;

namespace Resilience.Http.Tests.Internal;

/// <summary>The primitives of the HTTP clients live in the registries of <c>AddResilience</c>, and the handlers use them.</summary>
public sealed class HttpResilienceRegistryTests : IDisposable
{
    private const string Json = """
        {
          "Resilience": {
            "CircuitBreaker": {
              "Configs": { "default": { "SlidingWindowSize": 20, "MinimumNumberOfCalls": 10 } },
              "Instances": {
                "inventory": { "FailureRateThreshold": 25, "FailureStatusCodes": [ 500, 503 ] },
                "payments": { "FailureRateThreshold": 40 }
              }
            },
            "Retry": { "Instances": { "inventory": { "MaxAttempts": 2, "WaitDuration": "00:00:00", "MaxRetryAfterDelay": "00:00:01" } } },
            "TimeLimiter": { "Instances": { "inventory": { "TimeoutDuration": "00:00:02" }, "inventory-total": { "TimeoutDuration": "00:00:10" } } },
            "Bulkhead": { "Instances": { "inventory": { "MaxConcurrentCalls": 50 } } }
          }
        }
        """;

    private readonly StubHandler _stub = new();
    private readonly ServiceProvider _provider;

    public HttpResilienceRegistryTests()
    {
        IConfigurationSection section = new ConfigurationBuilder()
            .AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(Json)))
            .Build()
            .GetSection("Resilience");
        var services = new ServiceCollection();
        services.AddResilience(section);
        services.AddResilientHttpClient("inventory", section)
            .ConfigureHttpClient(c => c.BaseAddress = new Uri("http://inventory.test/"))
            .ConfigurePrimaryHttpMessageHandler(() => _stub);
        _provider = services.BuildServiceProvider();
    }

    private CircuitBreakerRegistry Breakers => _provider.GetRequiredService<CircuitBreakerRegistry>();

    public void Dispose() => _provider.Dispose();

    [Fact]
    public async Task ForcedOpenThroughRegistry_ClientsNextRequest_RefusedWithoutTouchingTheNetwork()
    {
        _provider.GetRequiredService<IStartupValidator>().Validate(); // FailureStatusCodes is the client's setting, not an unknown key
        using HttpClient client = _provider.GetRequiredService<IHttpClientFactory>().CreateClient("inventory");
        Breakers.TryGet("inventory", out CircuitBreaker? breaker).Should().BeTrue();
        var transitions = new List<CircuitBreakerState>();
        breaker!.Events.StateTransition += e => transitions.Add(e.ToState);

        breaker.TransitionToForcedOpenState();

        await client.Awaiting(c => c.GetAsync("items")).Should().ThrowAsync<CallNotPermittedException>();
        _stub.Calls.Should().Be(0);
        transitions.Should().Equal(CircuitBreakerState.ForcedOpen);

        breaker.TransitionToClosedState();
        (await client.GetAsync("items")).StatusCode.Should().Be(HttpStatusCode.OK);
        _stub.Calls.Should().Be(1);
    }

    [Fact]
    public void StandardComposition_EveryLayer_PublishedUnderTheClientsName()
    {
        using HttpClient client = _provider.GetRequiredService<IHttpClientFactory>().CreateClient("inventory");
        HttpResilienceRegistry http = _provider.GetRequiredService<HttpResilienceRegistry>();

        Breakers.GetOrCreate("inventory").Should().BeSameAs(Slot<HttpCircuitBreakerOptions, BreakerSet>(http).Single);
        _provider.GetRequiredService<RetryRegistry>().GetOrCreate("inventory").Should().BeSameAs(Slot<HttpRetryOptions, HttpRetryPolicy>(http).Retry);
        var limiters = _provider.GetRequiredService<TimeLimiterRegistry>();
        limiters.GetOrCreate("inventory").TimeoutDuration.Should().Be(TimeSpan.FromSeconds(2));
        limiters.GetOrCreate("inventory-total").TimeoutDuration.Should().Be(TimeSpan.FromSeconds(10));
        _provider.GetRequiredService<BulkheadRegistry>().GetOrCreate("inventory").GetMetrics().MaxAllowedConcurrentCalls.Should().Be(50);
        Breakers.GetOrCreate("payments").Name.Should().Be("payments", "AddResilience creates the instances no client claims");
    }

    [Fact]
    public async Task InstanceCreatedBeforeTheClient_ReplacedByTheClientsBreaker()
    {
        CircuitBreaker early = Breakers.GetOrCreate("inventory");
        var replaced = new List<RegistryEntryEvent<CircuitBreaker>>();
        Breakers.EntryReplaced += replaced.Add;

        using HttpClient client = _provider.GetRequiredService<IHttpClientFactory>().CreateClient("inventory");
        Breakers.GetOrCreate("inventory").TransitionToForcedOpenState();

        replaced.Should().ContainSingle().Which.ReplacedInstance.Should().BeSameAs(early);
        await client.Awaiting(c => c.GetAsync("items")).Should().ThrowAsync<CallNotPermittedException>();
        _stub.Calls.Should().Be(0);
    }

    [Fact]
    public async Task PrimitiveAddedOnItsOwn_PublishedAsClientSlashInstance()
    {
        using TestHost host = TestHost.Create(b => b.AddCircuitBreaker("cb").AddRetry("r", o => o.WaitDuration = TimeSpan.Zero));
        using HttpClient client = host.Client();
        var breakers = host.Provider.GetRequiredService<CircuitBreakerRegistry>();

        breakers.TryGet("c/cb", out CircuitBreaker? breaker).Should().BeTrue();
        breaker!.Name.Should().Be("c/cb");
        host.Provider.GetRequiredService<RetryRegistry>().TryGet("c/r", out _).Should().BeTrue();
        breaker.TransitionToForcedOpenState();

        await client.Awaiting(c => c.GetAsync("x")).Should().ThrowAsync<CallNotPermittedException>();
        host.Stub.Calls.Should().Be(0);
    }

    [Fact]
    public async Task PerAuthority_EachBreakerPublishedThenWithdrawnWhenEvicted()
    {
        using TestHost host = TestHost.Create(b => b.AddCircuitBreaker("cb", o =>
        {
            o.PerAuthority = true;
            o.AuthorityIdleTimeout = TimeSpan.FromSeconds(10);
        }));
        using HttpClient client = host.Client();
        var breakers = host.Provider.GetRequiredService<CircuitBreakerRegistry>();

        (await client.GetAsync("http://one.test/x")).Dispose();
        breakers.TryGet("c/cb/http://one.test:80", out CircuitBreaker? one).Should().BeTrue();
        one!.TransitionToForcedOpenState();
        await client.Awaiting(c => c.GetAsync("http://one.test/y")).Should().ThrowAsync<CallNotPermittedException>();

        host.Time.Advance(TimeSpan.FromSeconds(11));
        (await client.GetAsync("http://two.test/x")).Dispose();

        breakers.TryGet("c/cb/http://one.test:80", out _).Should().BeFalse("an idle authority is evicted");
        breakers.TryGet("c/cb/http://two.test:80", out _).Should().BeTrue();
    }

    [Fact]
    public void Reload_BreakerRebuilt_RegistryHoldsTheNewOne()
    {
        IConfigurationRoot root = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Resilience:CircuitBreaker:Instances:inventory:FailureRateThreshold"] = "50" })
            .Build();
        using ServiceProvider provider = new ServiceCollection()
            .AddResilientHttpClient("inventory", root.GetSection("Resilience")).Services
            .BuildServiceProvider();
        provider.GetRequiredService<IHttpClientFactory>().CreateClient("inventory").Dispose();
        var breakers = provider.GetRequiredService<CircuitBreakerRegistry>();
        CircuitBreaker before = breakers.GetOrCreate("inventory");
        before.TransitionToForcedOpenState();

        root["Resilience:CircuitBreaker:Instances:inventory:FailureRateThreshold"] = "60";
        root.Reload();

        CircuitBreaker after = breakers.GetOrCreate("inventory");
        after.Should().NotBeSameAs(before);
        after.Should().BeSameAs(Slot<HttpCircuitBreakerOptions, BreakerSet>(provider.GetRequiredService<HttpResilienceRegistry>()).Single);
        after.State.Should().Be(CircuitBreakerState.ForcedOpen);
    }

    private static TValue Slot<TOptions, TValue>(HttpResilienceRegistry registry)
        where TOptions : class
        where TValue : class =>
        registry.Slots.Select(s => s.Slot).OfType<ReloadableSlot<TOptions, TValue>>().Single().Current;
}
