using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.ServiceDiscovery;

namespace Resilience.Discovery.Tests.Resolution;

public sealed class EndpointSetResolverTests
{
    [Fact]
    public async Task GetEndpointSetAsync_EndpointsChange_VersionGrowsAndRoundRobinContinues()
    {
        var provider = new ScriptedProviderFactory("http://10.0.0.1", "http://10.0.0.2");
        await using ServiceProvider services = Services(provider);
        EndpointSetResolver resolver = services.GetRequiredService<EndpointSetResolver>();
        EndpointSet first = await resolver.GetEndpointSetAsync("http://inventory");
        first.PickRoundRobin()!.ToString().Should().Be("http://10.0.0.1");

        provider.Change("http://10.0.0.1", "http://10.0.0.2", "http://10.0.0.3");
        EndpointSet next = await NextAsync(resolver, first);

        first.Version.Should().Be(1);
        next.Version.Should().Be(2);
        next.Endpoints.Should().HaveCount(3);
        next.PickRoundRobin()!.ToString().Should().Be("http://10.0.0.2", "the new set goes on from the last pick");
    }

    [Fact]
    public async Task GetEndpointSetAsync_SourceRebuiltWithTheSameEndpoints_KeepsTheVersion()
    {
        var provider = new ScriptedProviderFactory("http://10.0.0.1");
        await using ServiceProvider services = Services(provider);
        EndpointSetResolver resolver = services.GetRequiredService<EndpointSetResolver>();
        EndpointSet first = await resolver.GetEndpointSetAsync("http://inventory");

        provider.Change("http://10.0.0.1");
        EndpointSet rebuilt = await NextAsync(resolver, first);

        rebuilt.Should().NotBeSameAs(first);
        rebuilt.Version.Should().Be(first.Version, "only a change of the endpoints or their metadata is a new version");
        (await resolver.GetEndpointSetAsync("http://inventory")).Should().BeSameAs(rebuilt, "a set is reused while its source is current");
    }

    [Fact]
    public async Task GetEndpointSetAsync_RegisteredIdentityChanges_IsANewVersion()
    {
        var provider = new ScriptedProviderFactory("http://10.0.0.1 spiffe://cluster.local/ns/default/sa/a");
        await using ServiceProvider services = Services(provider);
        EndpointSetResolver resolver = services.GetRequiredService<EndpointSetResolver>();
        EndpointSet first = await resolver.GetEndpointSetAsync("http://inventory");

        provider.Change("http://10.0.0.1 spiffe://cluster.local/ns/default/sa/b");
        EndpointSet next = await NextAsync(resolver, first);

        first.Endpoints[0].Identity.Should().Be("spiffe://cluster.local/ns/default/sa/a");
        next.Version.Should().Be(2, "the identity is metadata clients check the endpoint against");
        next.Endpoints[0].Identity.Should().Be("spiffe://cluster.local/ns/default/sa/b");
    }

    [Fact]
    public async Task SendAsync_SetWithAndWithoutIdentities_EachAttemptCarriesOnlyItsEndpointsIdentity()
    {
        var provider = new ScriptedProviderFactory("http://10.0.0.1 spiffe://cluster.local/ns/default/sa/a", "http://10.0.0.2");
        var seen = new List<(string Host, string? Identity)>();
        await using ServiceProvider services = Services(provider, new RecordingHandler(seen));
        using HttpMessageInvoker invoker = new(services.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler("inventory"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://inventory/x");

        // The same message twice, as a retry sends it: round robin picks each endpoint once.
        (await invoker.SendAsync(request, CancellationToken.None)).Dispose();
        (await invoker.SendAsync(request, CancellationToken.None)).Dispose();

        seen.Should().Equal(("10.0.0.1", "spiffe://cluster.local/ns/default/sa/a"), ("10.0.0.2", null));
    }

    [Fact]
    public async Task SendAsync_SetWithoutIdentities_LeavesTheRequestOptionsUntouched()
    {
        var provider = new ScriptedProviderFactory("http://10.0.0.1");
        await using ServiceProvider services = Services(provider, new RecordingHandler([]));
        using HttpMessageInvoker invoker = new(services.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler("inventory"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://inventory/x");

        (await invoker.SendAsync(request, CancellationToken.None)).Dispose();

        ((IDictionary<string, object?>)request.Options).Should().BeEmpty("only a set with identities touches the options");
    }

    private static ServiceProvider Services(ScriptedProviderFactory provider, HttpMessageHandler? primary = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddSingleton<IServiceEndpointProviderFactory>(provider);
        IHttpClientBuilder client = services.AddHttpClient("inventory");
        if (primary is not null)
        {
            client.ConfigurePrimaryHttpMessageHandler(() => primary);
        }

        client.AddEndpointResolution();
        return services.BuildServiceProvider();
    }

    /// <summary>Answers 200, recording each attempt's host and expected server identity.</summary>
    private sealed class RecordingHandler(List<(string Host, string? Identity)> seen) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            seen.Add((request.RequestUri!.Host, Resilience.Http.ExpectedServerIdentity.Get(request)));
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK));
        }
    }

    /// <summary>The first set after <paramref name="known"/>, following its change token (bounded by a generous timeout).</summary>
    private static async Task<EndpointSet> NextAsync(EndpointSetResolver resolver, EndpointSet known)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            EndpointSet set = await resolver.GetEndpointSetAsync("http://inventory", deadline.Token);
            if (!ReferenceEquals(set, known))
            {
                return set;
            }

            var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (set.ChangeToken.RegisterChangeCallback(static s => ((TaskCompletionSource)s!).TrySetResult(), changed))
            {
                await changed.Task.WaitAsync(deadline.Token);
            }
        }
    }

    /// <summary>
    /// A provider whose endpoints the test sets, each an address optionally followed by a space and the identity it
    /// registered; <see cref="Change"/> fires the change token of the last resolution.
    /// </summary>
    private sealed class ScriptedProviderFactory(params string[] addresses) : IServiceEndpointProviderFactory, IServiceEndpointProvider
    {
        private string[] _addresses = addresses;
        private CancellationTokenSource _changed = new();

        public void Change(params string[] addresses)
        {
            _addresses = addresses;
            CancellationTokenSource previous = Interlocked.Exchange(ref _changed, new CancellationTokenSource());
            previous.Cancel();
        }

        public bool TryCreateProvider(ServiceEndpointQuery query, out IServiceEndpointProvider provider)
        {
            provider = this;
            return true;
        }

        public ValueTask PopulateAsync(IServiceEndpointBuilder endpoints, CancellationToken cancellationToken)
        {
            foreach (string entry in _addresses)
            {
                string[] parts = entry.Split(' ');
                var features = new Microsoft.AspNetCore.Http.Features.FeatureCollection();
                features.Set(new Internal.EndpointMetadataFeature(1, null, null, parts.Length > 1 ? parts[1] : null));
                endpoints.Endpoints.Add(ServiceEndpoint.Create(new UriEndPoint(new Uri(parts[0])), features));
            }

            endpoints.AddChangeToken(new CancellationChangeToken(_changed.Token));
            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
