using Resilience.Routing.Internal;

namespace Resilience.Routing.LoadBalancing;

/// <summary><see cref="LoadBalancingPolicies.Random"/>: a uniformly random endpoint; an ejected one gives way to the next available.</summary>
internal sealed class RandomPolicy(RandomSource random) : ILoadBalancingPolicy
{
    public string Name => LoadBalancingPolicies.Random;

    public int Pick(in LoadBalancingContext context) =>
        context.Count == 0 ? -1 : context.NextAvailable(random.Next(context.Count));
}
