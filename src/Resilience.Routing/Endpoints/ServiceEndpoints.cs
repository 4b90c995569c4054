using Resilience.Discovery;

namespace Resilience.Routing.Internal;

/// <summary>
/// The endpoints of one service: the current <see cref="RoutingSnapshot"/>, rebuilt when the resolver's set has a new
/// version, carrying over the <see cref="EndpointState"/> of each endpoint that stays and dropping the others.
/// </summary>
internal sealed class ServiceEndpoints(string serviceName)
{
    private RoutingSnapshot? _current;

    public string ServiceName { get; } = serviceName;

    /// <summary>Gets the current snapshot, or <see langword="null"/> before the first request.</summary>
    public RoutingSnapshot? Current => Volatile.Read(ref _current);

    /// <summary>The snapshot of <paramref name="set"/>; allocation-free while its version is the current one.</summary>
    public RoutingSnapshot Update(EndpointSet set, TimeProvider time)
    {
        while (true)
        {
            RoutingSnapshot? known = Volatile.Read(ref _current);
            if (known is not null && set.Version <= known.Version)
            {
                return known; // the same version (the resolver may rebuild a set with the same endpoints), or an older set
            }

            RoutingSnapshot next = Build(set, known, known is null ? EndpointJoin.Initial : time.GetTimestamp());
            if (ReferenceEquals(Interlocked.CompareExchange(ref _current, next, known), known))
            {
                return next;
            }
        }
    }

    private RoutingSnapshot Build(EndpointSet set, RoutingSnapshot? known, long now)
    {
        Dictionary<string, EndpointState>? byKey = known?.States.ToDictionary(static s => s.Key, StringComparer.Ordinal);
        IReadOnlyList<DiscoveredEndpoint> endpoints = set.Endpoints;
        var copy = new DiscoveredEndpoint[endpoints.Count];
        var weights = new int[endpoints.Count];
        var states = new EndpointState[endpoints.Count];
        for (int i = 0; i < copy.Length; i++)
        {
            DiscoveredEndpoint endpoint = endpoints[i];
            string key = endpoint.ToString();
            copy[i] = endpoint;
            weights[i] = Math.Max(0, endpoint.Weight);
            states[i] = byKey is not null && byKey.TryGetValue(key, out EndpointState? state) ? state : new EndpointState(key, now);
        }

        return new RoutingSnapshot(ServiceName, set.Version, copy, weights, states);
    }
}
