using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.ServiceDiscovery;
using Resilience.Discovery.Internal;

namespace Resilience.Discovery;

/// <summary>
/// Resolves a logical service name, such as <c>http://inventory</c>, to its current <see cref="EndpointSet"/> through
/// Microsoft.Extensions.ServiceDiscovery's <see cref="ServiceEndpointResolver"/>: its configuration, pass-through and
/// any other registered providers (such as the etcd provider of this package) work unchanged.
/// </summary>
/// <remarks>
/// Registered as a singleton by <c>AddEndpointResolution</c> and <c>AddEtcdServiceDiscovery</c>. Once a name is
/// resolved, a call returns the cached set synchronously and allocates nothing until the resolver has a new one.
/// </remarks>
public sealed class EndpointSetResolver
{
    private readonly ServiceEndpointResolver _resolver;
    private readonly ConcurrentDictionary<string, EndpointSet> _sets = new(StringComparer.Ordinal);

    internal EndpointSetResolver(ServiceEndpointResolver resolver) => _resolver = resolver;

    /// <summary>Gets the current endpoint set of <paramref name="serviceName"/>.</summary>
    /// <param name="serviceName">The name, with its scheme: <c>http://inventory</c>, <c>https+http://inventory</c> or <c>https://_grpc.inventory</c>.</param>
    /// <param name="cancellationToken">Cancels the first resolution of the name.</param>
    /// <returns>The set; its <see cref="EndpointSet.Endpoints"/> is empty when the service has no endpoint.</returns>
    public ValueTask<EndpointSet> GetEndpointSetAsync(string serviceName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(serviceName);
        ValueTask<ServiceEndpointSource> pending = _resolver.GetEndpointsAsync(serviceName, cancellationToken);
        return pending.IsCompletedSuccessfully
            ? new ValueTask<EndpointSet>(Current(serviceName, pending.Result))
            : AwaitAsync(serviceName, pending);
    }

    private async ValueTask<EndpointSet> AwaitAsync(string serviceName, ValueTask<ServiceEndpointSource> pending) =>
        Current(serviceName, await pending.ConfigureAwait(false));

    private EndpointSet Current(string serviceName, ServiceEndpointSource source)
    {
        while (true)
        {
            if (!_sets.TryGetValue(serviceName, out EndpointSet? known))
            {
                EndpointSet first = Build(serviceName, source, null);
                if (_sets.TryAdd(serviceName, first))
                {
                    return first;
                }

                continue;
            }

            if (ReferenceEquals(known.Source, source))
            {
                return known;
            }

            EndpointSet next = Build(serviceName, source, known);
            if (_sets.TryUpdate(serviceName, next, known))
            {
                return next;
            }
        }
    }

    /// <summary>
    /// The set of <paramref name="source"/>: one version more than <paramref name="previous"/> when its endpoints
    /// differ, the same version when the resolver only rebuilt its source (after a refresh or an idle sweep). The
    /// round-robin position carries over, so that a new set does not start again at its first endpoint.
    /// </summary>
    private static EndpointSet Build(string serviceName, ServiceEndpointSource source, EndpointSet? previous)
    {
        string defaultScheme = DefaultScheme(serviceName);
        bool registryOnly = source.Features.Get<EtcdAuthoritativeFeature>() is not null;
        var endpoints = new List<DiscoveredEndpoint>(source.Endpoints.Count);
        foreach (ServiceEndpoint endpoint in source.Endpoints)
        {
            EndpointMetadataFeature? metadata = endpoint.Features.Get<EndpointMetadataFeature>();
            if (registryOnly && metadata is null)
            {
                continue; // the pass-through provider's guess for a service the registry answers for
            }

            endpoints.Add(new DiscoveredEndpoint(
                endpoint.EndPoint,
                Authority(endpoint.EndPoint, defaultScheme),
                metadata?.Weight ?? 1,
                metadata?.Version,
                metadata?.Zone,
                metadata?.Identity));
        }

        long version = previous is null ? 1 : SameEndpoints(previous.Endpoints, endpoints) ? previous.Version : previous.Version + 1;
        return new EndpointSet(serviceName, endpoints, version, source.ChangeToken, source, previous?.RoundRobinPosition ?? -1);
    }

    private static bool SameEndpoints(IReadOnlyList<DiscoveredEndpoint> known, List<DiscoveredEndpoint> next)
    {
        if (known.Count != next.Count)
        {
            return false;
        }

        for (int i = 0; i < next.Count; i++)
        {
            DiscoveredEndpoint a = known[i];
            DiscoveredEndpoint b = next[i];
            if (a.Address != b.Address || a.Weight != b.Weight || a.Version != b.Version || a.Zone != b.Zone || a.Identity != b.Identity)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The scheme of an endpoint that names none: the first of the name's schemes (<c>https</c> for <c>https+http://…</c>).</summary>
    private static string DefaultScheme(string serviceName)
    {
        int end = serviceName.IndexOf("://", StringComparison.Ordinal);
        string schemes = end > 0 ? serviceName[..end] : Uri.UriSchemeHttp;
        int plus = schemes.IndexOf('+', StringComparison.Ordinal);
        return plus > 0 ? schemes[..plus] : schemes;
    }

    /// <summary><c>scheme://host[:port]</c> of an endpoint; no port when it is 0 (the scheme's default, as pass-through returns it).</summary>
    internal static string Authority(EndPoint endPoint, string defaultScheme) => endPoint switch
    {
        UriEndPoint uri => uri.Uri.GetLeftPart(UriPartial.Authority),
        IPEndPoint ip => Compose(defaultScheme, ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "[" + ip.Address + "]" : ip.Address.ToString(), ip.Port),
        DnsEndPoint dns => Compose(defaultScheme, dns.Host, dns.Port),
        _ => throw new InvalidOperationException($"The endpoint '{endPoint}' ({endPoint.GetType().Name}) is neither a URI, an IP endpoint nor a DNS endpoint."),
    };

    private static string Compose(string scheme, string host, int port) =>
        port == 0 ? $"{scheme}://{host}" : string.Create(CultureInfo.InvariantCulture, $"{scheme}://{host}:{port}");
}
