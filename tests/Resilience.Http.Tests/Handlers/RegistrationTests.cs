using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Resilience.Http.DependencyInjection;
using Resilience.Http.Handlers;
using Resilience.Http.Internal;
using Resilience.Http.Telemetry;

namespace Resilience.Http.Tests.Handlers;

public class RegistrationTests
{
    [Fact]
    public void AddResilientHttpClient_Twice_OneSetOfHandlers()
    {
        using TestHost host = TestHost.Create(_ => { }, s =>
        {
            s.AddResilientHttpClient(TestHost.ClientName);
            s.AddResilientHttpClient(TestHost.ClientName);
        });

        StandardCompositionTests.Chain(host).Should().HaveCount(4);
        host.Registry.Slots.Should().HaveCount(4).And.OnlyContain(s => s.Source.ClientName == TestHost.ClientName);
    }

    [Fact]
    public async Task ConfigureHttpClientDefaults_Primitive_NamedAfterClientBeingBuilt()
    {
        using TestHost host = TestHost.Create(_ => { }, s => s.ConfigureHttpClientDefaults(b => b.AddCircuitBreaker("x")));
        using HttpClient client = host.Client();

        (await client.GetAsync("x")).Dispose();

        StandardCompositionTests.Chain(host).Should().ContainSingle().Which.Source.ClientName.Should().Be(TestHost.ClientName);
        Breakers(host).Single!.GetMetrics().NumberOfBufferedCalls.Should().Be(1);
    }

    [Fact]
    public void AddResilience_Twice_OneSetOfHandlers()
    {
        using TestHost host = TestHost.Create(b => b.AddResilience().AddResilience());

        StandardCompositionTests.Chain(host).Should().HaveCount(4);
    }

    [Fact]
    public void AddCircuitBreaker_TwiceSameInstance_OneHandler()
    {
        using TestHost host = TestHost.Create(b => b.AddCircuitBreaker("x").AddCircuitBreaker("x"));

        StandardCompositionTests.Chain(host).Should().ContainSingle().Which.Should().BeOfType<CircuitBreakerHandler>();
    }

    [Fact]
    public void ConfigureHttpClientDefaultsAndAddResilientHttpClient_OneSetOfHandlers()
    {
        using TestHost host = TestHost.Create(_ => { }, s =>
        {
            s.ConfigureHttpClientDefaults(b => b.AddResilience());
            s.AddResilientHttpClient(TestHost.ClientName);
        });

        StandardCompositionTests.Chain(host).Should().HaveCount(4);
    }

    [Fact]
    public async Task CreateCircuitBreaker_TwoChains_ShareBreakerState()
    {
        using TestHost host = TestHost.Create(b => b.AddCircuitBreaker("cb", Small));
        var (read, subscribe) = HttpResilienceServices.Named<HttpCircuitBreakerOptions>(host.Provider, "c/cb");
        string key = "HttpCircuitBreakerOptions:cb";
        using CircuitBreakerHandler first = HttpResilienceServices.CreateCircuitBreaker(host.Provider, "c", "cb", "c/cb", key, read, subscribe);
        using CircuitBreakerHandler second = HttpResilienceServices.CreateCircuitBreaker(host.Provider, "c", "cb", "c/cb", key, read, subscribe);
        first.InnerHandler = host.Stub;
        second.InnerHandler = host.Stub;
        using var invoker1 = new HttpMessageInvoker(first, disposeHandler: false);
        using var invoker2 = new HttpMessageInvoker(second, disposeHandler: false);
        host.Stub.Respond(HttpStatusCode.InternalServerError, times: 4);

        for (int i = 0; i < 4; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "http://a.test/x");
            (await invoker1.SendAsync(request, CancellationToken.None)).Dispose();
        }

        using var rejected = new HttpRequestMessage(HttpMethod.Get, "http://a.test/x");
        await invoker2.Invoking(i => i.SendAsync(rejected, CancellationToken.None)).Should().ThrowAsync<CallNotPermittedException>();
        host.Stub.Calls.Should().Be(4);
        host.Registry.Slots.Should().ContainSingle();
    }

    [Fact]
    public async Task Reload_EqualOptions_KeepsBreakerAndState()
    {
        using var reload = new ReloadSource("c/cb");
        using TestHost host = ReloadHost(reload, _ => { });
        BreakerSet before = await OpenAsync(host);

        reload.Fire();

        BreakerSet after = Breakers(host);
        after.Should().BeSameAs(before);
        after.Single!.State.Should().Be(CircuitBreakerState.Open);
    }

    [Fact]
    public async Task Reload_ChangedThreshold_NewBreakerKeepsOpen()
    {
        using var reload = new ReloadSource("c/cb");
        float threshold = 50;
        using TestHost host = ReloadHost(reload, o => o.FailureRateThreshold = threshold);
        BreakerSet before = await OpenAsync(host);

        threshold = 70;
        reload.Fire();

        BreakerSet after = Breakers(host);
        after.Should().NotBeSameAs(before);
        after.Options.FailureRateThreshold.Should().Be(70);
        after.Single!.State.Should().Be(CircuitBreakerState.Open);
        await host.Client().Invoking(c => c.GetAsync("x")).Should().ThrowAsync<CallNotPermittedException>();
    }

    [Fact]
    public async Task Reload_ChangedWindowSize_ResetsToClosed()
    {
        using var reload = new ReloadSource("c/cb");
        int window = 4;
        using TestHost host = ReloadHost(reload, o => o.SlidingWindowSize = window);
        BreakerSet before = await OpenAsync(host);

        window = 8;
        reload.Fire();

        BreakerSet after = Breakers(host);
        after.Should().NotBeSameAs(before);
        after.Single!.State.Should().Be(CircuitBreakerState.Closed);
        using HttpClient client = host.Client();
        (await client.GetAsync("x")).StatusCode.Should().Be(HttpStatusCode.OK);
        host.Stub.Calls.Should().Be(5);
    }

    private static void Small(HttpCircuitBreakerOptions o)
    {
        o.SlidingWindowSize = 4;
        o.MinimumNumberOfCalls = 4;
    }

    private static BreakerSet Breakers(TestHost host) => host.Slot<HttpCircuitBreakerOptions, BreakerSet>(ResilienceKinds.CircuitBreaker);

    private static TestHost ReloadHost(ReloadSource reload, Action<HttpCircuitBreakerOptions> configure) =>
        TestHost.Create(
            b => b.AddCircuitBreaker("cb", o =>
            {
                Small(o);
                configure(o);
            }),
            s => s.AddSingleton<IOptionsChangeTokenSource<HttpCircuitBreakerOptions>>(reload));

    private static async Task<BreakerSet> OpenAsync(TestHost host)
    {
        host.Stub.Respond(HttpStatusCode.InternalServerError, times: 4);
        using HttpClient client = host.Client();
        for (int i = 0; i < 4; i++)
        {
            (await client.GetAsync("x")).Dispose();
        }

        BreakerSet set = Breakers(host);
        set.Single!.State.Should().Be(CircuitBreakerState.Open);
        return set;
    }

    /// <summary>A change token source the test fires, as a reloaded configuration would.</summary>
    private sealed class ReloadSource(string name) : IOptionsChangeTokenSource<HttpCircuitBreakerOptions>, IDisposable
    {
        private CancellationTokenSource _cts = new();

        public string Name { get; } = name;

        public IChangeToken GetChangeToken() => new CancellationChangeToken(_cts.Token);

        public void Fire()
        {
            CancellationTokenSource fired = Interlocked.Exchange(ref _cts, new CancellationTokenSource());
            fired.Cancel();
            fired.Dispose();
        }

        public void Dispose() => _cts.Dispose();
    }

    [Fact]
    public void AddPrimitive_NoOptions_DefaultsOfResilience4j()
    {
        using TestHost host = TestHost.Create(b => b.AddTimeLimiter("t").AddBulkhead("b").AddRateLimiter("rl"));

        host.Provider.GetRequiredService<IOptionsMonitor<TimeLimiterOptions>>().Get(TestHost.ClientName + "/t").TimeoutDuration.Should().Be(TimeSpan.FromSeconds(1));
        IOptionsMonitor<BulkheadOptions> bulkheads = host.Provider.GetRequiredService<IOptionsMonitor<BulkheadOptions>>();
        bulkheads.Get(TestHost.ClientName + "/b").MaxConcurrentCalls.Should().Be(25);
        bulkheads.Get(TestHost.ClientName + "/b").MaxWaitDuration.Should().Be(TimeSpan.Zero);
        RequestRateLimiterOptions limits = host.Provider.GetRequiredService<IOptionsMonitor<RequestRateLimiterOptions>>().Get(TestHost.ClientName + "/rl");
        (limits.LimitForPeriod, limits.LimitRefreshPeriod, limits.TimeoutDuration).Should().Be((50, TimeSpan.FromTicks(5), TimeSpan.FromSeconds(5)));
        StandardCompositionTests.Chain(host).Should().HaveCount(3);
    }
}
