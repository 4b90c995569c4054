using System.Collections.Concurrent;
using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.ServiceDiscovery;

namespace Resilience.Discovery.Internal;

/// <summary>
/// Microsoft.Extensions.ServiceDiscovery's provider factory for etcd. It is registered first, before the configuration
/// and pass-through providers; its providers are thin views over one <see cref="EtcdServiceWatch"/> per service,
/// which outlives the resolver's providers (the resolver drops idle ones).
/// </summary>
internal sealed class EtcdServiceEndpointProviderFactory(EtcdConnection connection, DiscoveryTelemetry telemetry, TimeProvider timeProvider)
    : IServiceEndpointProviderFactory, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<EtcdServiceWatch>> _watches = new(StringComparer.OrdinalIgnoreCase);

    public bool TryCreateProvider(ServiceEndpointQuery query, out IServiceEndpointProvider provider)
    {
        provider = new EtcdServiceEndpointProvider(Watch(query.ServiceName), query.IncludedSchemes);
        return true;
    }

    internal EtcdServiceWatch Watch(string service) =>
        _watches.GetOrAdd(service, name => new Lazy<EtcdServiceWatch>(() => new EtcdServiceWatch(name, connection, telemetry, timeProvider))).Value;

    /// <summary>Stops every watch; the container calls it once per service type the factory is registered as.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (string service in _watches.Keys)
        {
            if (_watches.TryRemove(service, out Lazy<EtcdServiceWatch>? watch) && watch.IsValueCreated)
            {
                await watch.Value.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}

/// <summary>Adds the instances etcd holds for one service, preferring the query's schemes in order (<c>https+http</c>: https when any).</summary>
internal sealed class EtcdServiceEndpointProvider(EtcdServiceWatch watch, IReadOnlyList<string> schemes) : IServiceEndpointProvider
{
    public async ValueTask PopulateAsync(IServiceEndpointBuilder endpoints, CancellationToken cancellationToken)
    {
        await watch.WaitLoadedAsync(EtcdDiscoveryConstants.FirstLoadTimeout, cancellationToken).ConfigureAwait(false);
        EtcdServiceWatch.Snapshot snapshot = watch.Current;
        endpoints.AddChangeToken(new CancellationChangeToken(snapshot.Changed.Token));
        if (snapshot.EverHadInstances)
        {
            endpoints.Features.Set(new EtcdAuthoritativeFeature());
        }

        foreach (ServiceEndpoint endpoint in Preferred(snapshot.Endpoints))
        {
            endpoints.Endpoints.Add(endpoint);
        }
    }

    private IEnumerable<ServiceEndpoint> Preferred(IReadOnlyList<ServiceEndpoint> all)
    {
        foreach (string scheme in schemes)
        {
            ServiceEndpoint[] matching = [.. all.Where(e => e.EndPoint is UriEndPoint u && string.Equals(u.Uri.Scheme, scheme, StringComparison.OrdinalIgnoreCase))];
            if (matching.Length > 0)
            {
                return matching;
            }
        }

        return schemes.Count == 0 ? all : [];
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public override string ToString() => "etcd";
}

/// <summary>
/// Set on a resolution when etcd ever held an instance of the service: etcd then answers for it alone, and the
/// endpoint set ignores what the pass-through provider adds when etcd has no instance.
/// </summary>
internal sealed class EtcdAuthoritativeFeature;
