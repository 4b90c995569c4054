using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Resilience.Discovery;
using Resilience.Routing.Internal;

namespace Resilience.Routing.Tests;

/// <summary>
/// Endpoint sets resolved for real (Microsoft.Extensions.ServiceDiscovery's configuration provider, section
/// <c>Services:svc:http</c>), since <see cref="DiscoveredEndpoint"/> has no public constructor; snapshots with any weights.
/// </summary>
internal sealed class TestEndpoints : IAsyncDisposable
{
    public const string Service = "http://svc";
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, DiscoveredEndpoint[]> Resolved = new();
    private readonly IConfigurationRoot _configuration;
    private readonly ServiceProvider _provider;

    public TestEndpoints(int count)
    {
        _configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings(0, count)).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(_configuration);
        services.AddEndpointSetResolver();
        _provider = services.BuildServiceProvider();
        Resolver = _provider.GetRequiredService<EndpointSetResolver>();
    }

    public EndpointSetResolver Resolver { get; }

    public static Dictionary<string, string?> Settings(int from, int to) => Enumerable.Range(from, to - from).ToDictionary(
        static i => string.Create(CultureInfo.InvariantCulture, $"Services:svc:http:{i}"),
        static i => (string?)string.Create(CultureInfo.InvariantCulture, $"http://10.0.{i / 250}.{(i % 250) + 1}:80"));

    public static RoutingSnapshot Snapshot(int count, params int[] weights)
    {
        DiscoveredEndpoint[] endpoints = Endpoints(count);
        int[] w = weights.Length == 0 ? [.. endpoints.Select(static _ => 1)] : weights;
        EndpointState[] states = [.. endpoints.Select(static e => new EndpointState(e.ToString(), EndpointJoin.Initial))];
        return new RoutingSnapshot(Service, 1, endpoints, w, states);
    }

    public static DiscoveredEndpoint[] Endpoints(int count) => Resolved.GetOrAdd(count, static count =>
    {
        var endpoints = new TestEndpoints(count);
        try
        {
            return [.. endpoints.Resolver.GetEndpointSetAsync(Service).AsTask().GetAwaiter().GetResult().Endpoints];
        }
        finally
        {
            endpoints.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    });

    public static LoadBalancingContext Context(RoutingSnapshot snapshot, HttpRequestMessage? request = null) =>
        new(request ?? new HttpRequestMessage(HttpMethod.Get, Service + "/x"), snapshot);

    /// <summary>Replaces the (as many) endpoints with those numbered <paramref name="from"/> to <paramref name="to"/> − 1 and waits for the resolver's new set.</summary>
    public async Task<EndpointSet> ChangeAsync(int from, int to)
    {
        EndpointSet before = await Resolver.GetEndpointSetAsync(Service);
        // The same number of endpoints at the same indices, with other addresses: the provider reads a list.
        List<string?> addresses = [.. Settings(from, to).Values];
        for (int i = 0; i < addresses.Count; i++)
        {
            _configuration[string.Create(CultureInfo.InvariantCulture, $"Services:svc:http:{i}")] = addresses[i];
        }

        _configuration.Reload();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            EndpointSet set = await Resolver.GetEndpointSetAsync(Service, timeout.Token);
            if (set.Version > before.Version)
            {
                return set;
            }

            await Task.Yield();
            timeout.Token.ThrowIfCancellationRequested();
        }
    }

    public ValueTask DisposeAsync() => _provider.DisposeAsync();
}
