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

    private static ServiceProvider Services(ScriptedProviderFactory provider)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddSingleton<IServiceEndpointProviderFactory>(provider);
        services.AddHttpClient("inventory").AddEndpointResolution();
        return services.BuildServiceProvider();
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

    /// <summary>A provider whose endpoints the test sets; <see cref="Change"/> fires the change token of the last resolution.</summary>
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
            foreach (string address in _addresses)
            {
                endpoints.Endpoints.Add(ServiceEndpoint.Create(new UriEndPoint(new Uri(address))));
            }

            endpoints.AddChangeToken(new CancellationChangeToken(_changed.Token));
            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
