namespace Resilience.Routing;

/// <summary>The names of the built-in <see cref="ILoadBalancingPolicy"/> implementations, for <see cref="EndpointRoutingOptions.Policy"/>.</summary>
public static class LoadBalancingPolicies
{
    /// <summary>
    /// The default: Envoy's least request. With equal weights, <see cref="EndpointRoutingOptions.ChoiceCount"/> distinct
    /// random endpoints (two by default) and the one with the fewest active requests; with unequal weights (or while an
    /// endpoint is in slow start), a weighted random pick with Envoy's weight / (active requests + 1)^bias.
    /// </summary>
    public const string LeastRequest = nameof(LeastRequest);

    /// <summary>Round robin; weighted round robin (earliest deadline first, as Envoy's scheduler) when weights differ.</summary>
    public const string RoundRobin = nameof(RoundRobin);

    /// <summary>A uniformly random endpoint.</summary>
    public const string Random = nameof(Random);

    /// <summary>Envoy's ring hash (Karger's consistent hashing) over a hash key of the request.</summary>
    public const string RingHash = nameof(RingHash);

    /// <summary>Envoy's Maglev (Google's consistent hashing with a fixed lookup table) over a hash key of the request.</summary>
    public const string Maglev = nameof(Maglev);
}
