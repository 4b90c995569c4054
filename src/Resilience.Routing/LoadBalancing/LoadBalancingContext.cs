using Resilience.Discovery;
using Resilience.Routing.Internal;

namespace Resilience.Routing;

/// <summary>
/// What a <see cref="ILoadBalancingPolicy"/> chooses from: the request (for hash keys) and the endpoints of its service's
/// current set, with their weights, active requests and ejection, addressed by index from 0 to <see cref="Count"/> − 1.
/// </summary>
/// <remarks>A view over one immutable version of the set: the indices stay valid for the whole pick.</remarks>
public readonly struct LoadBalancingContext
{
    // When set, the endpoints this pick must avoid, index for index (at least Count long): the router's choice of
    // candidates (ejected ones unless in panic, those the request already tried). Otherwise the ejected ones.
    private readonly bool[]? _excluded;

    internal LoadBalancingContext(HttpRequestMessage request, RoutingSnapshot snapshot, bool[]? excluded = null)
    {
        Request = request;
        Snapshot = snapshot;
        _excluded = excluded;
    }

    /// <summary>Gets the request being sent, with its logical address.</summary>
    public HttpRequestMessage Request { get; }

    /// <summary>Gets the name of the service, such as <c>http://inventory</c>.</summary>
    public string ServiceName => Snapshot.ServiceName;

    /// <summary>Gets the version of the endpoint set (see <see cref="EndpointSet.Version"/>): a policy may cache what it builds from the endpoints by it.</summary>
    public long Version => Snapshot.Version;

    /// <summary>Gets the number of endpoints, ejected ones included.</summary>
    public int Count => Snapshot.States.Length;

    internal RoutingSnapshot Snapshot { get; }

    /// <summary>Gets an endpoint.</summary>
    /// <param name="index">From 0 to <see cref="Count"/> − 1.</param>
    /// <returns>The endpoint.</returns>
    public DiscoveredEndpoint GetEndpoint(int index) => Snapshot.Endpoints[index];

    /// <summary>Gets an endpoint's weight, as discovered (0 or more; 1 for endpoints without metadata).</summary>
    /// <param name="index">From 0 to <see cref="Count"/> − 1.</param>
    /// <returns>The weight.</returns>
    public int GetWeight(int index) => Snapshot.Weights[index];

    /// <summary>Gets the requests in flight to an endpoint, from every client of this service in the process.</summary>
    /// <param name="index">From 0 to <see cref="Count"/> − 1.</param>
    /// <returns>The number of active requests.</returns>
    public int GetActiveRequests(int index) => Snapshot.States[index].ActiveRequests;

    /// <summary>
    /// Gets whether an endpoint may be chosen for this attempt: <see langword="false"/> while outlier detection ejects
    /// it (unless too few endpoints are healthy: panic), or for a retry, when the request already tried it and an
    /// untried endpoint is available.
    /// </summary>
    /// <param name="index">From 0 to <see cref="Count"/> − 1.</param>
    /// <returns><see langword="true"/> when the endpoint may be chosen.</returns>
    public bool IsAvailable(int index) => _excluded is null ? !Snapshot.States[index].IsEjected : !_excluded[index];

    /// <summary>The first available endpoint from <paramref name="start"/> on, wrapping around; -1 when none is.</summary>
    internal int NextAvailable(int start)
    {
        EndpointState[] states = Snapshot.States;
        for (int i = 0; i < states.Length; i++)
        {
            int index = start + i;
            index = index >= states.Length ? index - states.Length : index;
            if (IsAvailable(index))
            {
                return index;
            }
        }

        return -1;
    }
}
