using Resilience.Routing.Internal;

namespace Resilience.Routing.LoadBalancing;

/// <summary>Creates a client's policy from its options: a built-in one by name, or the registered policy of that name.</summary>
internal static class LoadBalancingPolicyFactory
{
    public static readonly string[] BuiltInNames =
    [
        LoadBalancingPolicies.LeastRequest, LoadBalancingPolicies.RoundRobin, LoadBalancingPolicies.Random,
        LoadBalancingPolicies.RingHash, LoadBalancingPolicies.Maglev,
    ];

    public static ILoadBalancingPolicy Create(EndpointRoutingOptions options, IEnumerable<ILoadBalancingPolicy> custom, RandomSource random, TimeProvider time)
    {
        var slowStart = new SlowStart(options.SlowStartWindow, options.SlowStartAggression, options.SlowStartMinWeightPercent);
        var key = new HashKey(NullIfEmpty(options.HashHeader), NullIfEmpty(options.HashProperty));
        return options.Policy switch
        {
            _ when Is(options, LoadBalancingPolicies.LeastRequest) => new LeastRequestPolicy(options.ChoiceCount, options.ActiveRequestBias, slowStart, random, time),
            _ when Is(options, LoadBalancingPolicies.RoundRobin) => new RoundRobinPolicy(slowStart, random, time),
            _ when Is(options, LoadBalancingPolicies.Random) => new RandomPolicy(random),
            _ when Is(options, LoadBalancingPolicies.RingHash) => new RingHashPolicy(options.MinimumRingSize, options.MaximumRingSize, key, random),
            _ when Is(options, LoadBalancingPolicies.Maglev) => new MaglevPolicy(options.MaglevTableSize, key, random),
            _ => custom.FirstOrDefault(p => string.Equals(p.Name, options.Policy, StringComparison.OrdinalIgnoreCase))
                ?? throw new InvalidOperationException($"No load-balancing policy is named '{options.Policy}'."),
        };
    }

    private static bool Is(EndpointRoutingOptions options, string name) => string.Equals(options.Policy, name, StringComparison.OrdinalIgnoreCase);

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
