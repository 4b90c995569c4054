using Resilience.Discovery;
using Resilience.Routing.Split;

namespace Resilience.Routing.Internal;

/// <summary>
/// One routed client's choices, shared by its handlers (IHttpClientFactory recreates them): the policy, the limits, and
/// the per-service endpoint state in the singleton <see cref="EndpointStateRegistry"/>.
/// </summary>
internal sealed class EndpointRouter(
    EndpointSetResolver resolver, EndpointStateRegistry registry, ILoadBalancingPolicy policy, TimeProvider time, int maxRequests, int maxPendingRequests)
{
    public EndpointSetResolver Resolver { get; } = resolver;

    public ILoadBalancingPolicy Policy { get; } = policy;

    /// <summary>Gets the most requests in flight per endpoint, <see cref="EndpointState.Unlimited"/> when none.</summary>
    public int MaxRequests { get; } = maxRequests;

    public int MaxPendingRequests { get; } = maxPendingRequests;

    /// <summary>Gets the traffic split between subsets, or <see langword="null"/>.</summary>
    public TrafficSplitter? Split { get; init; }

    /// <summary>The endpoint for one attempt, with its state; throws <see cref="HttpRequestException"/> when none can be chosen.</summary>
    public EndpointState Pick(HttpRequestMessage request, EndpointSet set, out DiscoveredEndpoint endpoint)
    {
        RoutingSnapshot snapshot = registry.For(set.ServiceName).Update(set, time);
        snapshot = Split?.Select(request, snapshot) ?? snapshot; // the chosen subset's endpoints
        var context = new LoadBalancingContext(request, snapshot);
        int index = Policy.Pick(in context);
        if (index < 0)
        {
            throw new HttpRequestException(
                HttpRequestError.NameResolutionError,
                snapshot.States.Length == 0
                    ? $"The service '{set.ServiceName}' has no endpoint (endpoint set version {snapshot.Version})."
                    : $"The service '{set.ServiceName}' has no available endpoint: the {Policy.Name} policy chose none of its {snapshot.States.Length} (endpoint set version {snapshot.Version}).");
        }

        if (index >= snapshot.States.Length)
        {
            throw new InvalidOperationException($"The load-balancing policy '{Policy.Name}' chose endpoint {index} of {snapshot.States.Length}.");
        }

        endpoint = snapshot.Endpoints[index];
        return snapshot.States[index];
    }
}
