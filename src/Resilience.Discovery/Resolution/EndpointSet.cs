using Microsoft.Extensions.Primitives;

namespace Resilience.Discovery;

/// <summary>
/// The endpoints of one service at one moment: what the resolver returned, with metadata, a version that grows with
/// every change, and a token that fires when a newer set exists.
/// </summary>
/// <remarks>
/// A set never changes; a registration or removal produces a new set with a higher <see cref="Version"/>. Endpoint
/// selection policies read <see cref="Endpoints"/>; per-endpoint state is keyed by <see cref="DiscoveredEndpoint.Address"/>
/// and dropped when an endpoint is no longer in the set.
/// </remarks>
public sealed class EndpointSet
{
    private int _next;

    internal EndpointSet(string serviceName, IReadOnlyList<DiscoveredEndpoint> endpoints, long version, IChangeToken changeToken, object source, int roundRobinPosition = -1)
    {
        _next = roundRobinPosition;
        ServiceName = serviceName;
        Endpoints = endpoints;
        Version = version;
        ChangeToken = changeToken;
        Source = source;
        for (int i = 0; i < endpoints.Count; i++)
        {
            HasIdentities |= endpoints[i].Identity is not null;
        }
    }

    /// <summary>Gets the name that was resolved, such as <c>https+http://inventory</c>.</summary>
    public string ServiceName { get; }

    /// <summary>Gets the endpoints, in the order the resolver returned them; empty when the service has none.</summary>
    public IReadOnlyList<DiscoveredEndpoint> Endpoints { get; }

    /// <summary>Gets the version of the set: 1 for the first set of a service, one more for each change of its endpoints or their metadata.</summary>
    public long Version { get; }

    /// <summary>Gets a token that fires when the resolver has a newer set of this service.</summary>
    public IChangeToken ChangeToken { get; }

    /// <summary>Gets what the set was built from (the resolver's endpoint source), to tell whether it is still current.</summary>
    internal object Source { get; }

    /// <summary>Gets whether any endpoint registered an identity: only then does a handler touch the request's options for it.</summary>
    internal bool HasIdentities { get; }

    /// <summary>Gets the position of the last round-robin pick, which the next set of the service starts from.</summary>
    internal int RoundRobinPosition => Volatile.Read(ref _next);

    /// <summary>The next endpoint in round-robin order, or <see langword="null"/> when the set is empty. Lock-free, allocation-free.</summary>
    internal DiscoveredEndpoint? PickRoundRobin()
    {
        IReadOnlyList<DiscoveredEndpoint> endpoints = Endpoints;
        int count = endpoints.Count;
        if (count == 0)
        {
            return null;
        }

        // Unsigned so that the counter wrapping past int.MaxValue keeps the index in range.
        uint next = unchecked((uint)Interlocked.Increment(ref _next));
        return endpoints[(int)(next % (uint)count)];
    }
}
