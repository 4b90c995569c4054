using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Resilience.Discovery.Tests.Integration;

/// <summary>A client process: a container with the etcd provider, a resilient client of <c>http://inventory</c> with endpoint resolution, and the endpoint set resolver.</summary>
internal sealed class DiscoveryClient : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly ServiceProvider _services;

    /// <summary>A client of etcd (when <paramref name="etcd"/> is given) and of the configuration <paramref name="settings"/>.</summary>
    /// <param name="etcd">The registry, or none.</param>
    /// <param name="settings">Configuration, such as <c>Services:inventory:http:0</c>.</param>
    /// <param name="client">Registers the client named <c>inventory</c>; by default AddResilientHttpClient then AddEndpointResolution.</param>
    /// <param name="etcdOptions">Sets more etcd options, such as credentials.</param>
    public DiscoveryClient(
        EtcdServer? etcd, Dictionary<string, string?>? settings = null, Func<IServiceCollection, IHttpClientBuilder>? client = null, Action<EtcdDiscoveryOptions>? etcdOptions = null)
    {
        var services = new ServiceCollection();
        // A host provides the configuration M.E.ServiceDiscovery's configuration provider reads.
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings ?? []).Build());
        if (etcd is not null)
        {
            services.AddEtcdServiceDiscovery(o =>
            {
                o.Endpoints.Add(etcd.ClientUrl);
                etcdOptions?.Invoke(o);
            });
        }

        IHttpClientBuilder builder = client is null
            ? services.AddResilientHttpClient(InventoryInstance.Service).AddEndpointResolution()
            : client(services);
        builder.ConfigureHttpClient(c => c.BaseAddress ??= new Uri("http://inventory"));
        _services = services.BuildServiceProvider(validateScopes: true);
        Resolver = _services.GetRequiredService<EndpointSetResolver>();
    }

    public EndpointSetResolver Resolver { get; }

    public HttpClient CreateClient() => _services.GetRequiredService<IHttpClientFactory>().CreateClient(InventoryInstance.Service);

    public ValueTask<EndpointSet> CurrentAsync() => Resolver.GetEndpointSetAsync(ServiceName);

    /// <summary>Gets or sets the name <see cref="CurrentAsync"/> and <see cref="WaitForAsync"/> resolve.</summary>
    public string ServiceName { get; set; } = "http://inventory";

    /// <summary>Gets a service of the client's container.</summary>
    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    /// <summary>
    /// Waits until the endpoint set of <c>http://inventory</c> satisfies <paramref name="condition"/>, following the
    /// set's change token (no polling interval), and returns it with the time it took; fails after a generous timeout.
    /// </summary>
    public async Task<(EndpointSet Set, TimeSpan Elapsed)> WaitForAsync(Func<EndpointSet, bool> condition)
    {
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        using var deadline = new CancellationTokenSource(Timeout);
        while (true)
        {
            EndpointSet set = await CurrentAsync();
            if (condition(set))
            {
                return (set, System.Diagnostics.Stopwatch.GetElapsedTime(start));
            }

            var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (set.ChangeToken.RegisterChangeCallback(static s => ((TaskCompletionSource)s!).TrySetResult(), changed))
            {
                try
                {
                    await changed.Task.WaitAsync(deadline.Token);
                }
                catch (OperationCanceledException)
                {
                    throw new TimeoutException($"The endpoint set of http://inventory did not reach the expected state within {Timeout}; last: [{string.Join(", ", set.Endpoints)}] (version {set.Version}).");
                }
            }
        }
    }

    public static bool Has(EndpointSet set, InventoryInstance instance) =>
        set.Endpoints.Any(e => e.Address.Authority == instance.Address.Authority);

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
