namespace Resilience.Routing;

/// <summary>
/// Chooses one endpoint of a service's resolved set for one attempt of a request. Selected by <see cref="Name"/> in
/// <see cref="EndpointRoutingOptions.Policy"/>.
/// </summary>
/// <remarks>
/// <para>The built-in policies are named by <see cref="LoadBalancingPolicies"/>. A policy of your own is registered as a
/// singleton <see cref="ILoadBalancingPolicy"/> service; names are compared case-insensitively, and a name that two
/// policies share, or that no policy has, fails the host at start.</para>
/// <para><see cref="Pick"/> is called on every attempt, concurrently: it must be thread-safe, and should take no lock and
/// allocate nothing.</para>
/// </remarks>
public interface ILoadBalancingPolicy
{
    /// <summary>Gets the name of the policy, such as <c>LeastRequest</c>.</summary>
    string Name { get; }

    /// <summary>Chooses an endpoint.</summary>
    /// <param name="context">The request and the endpoints of its service, with their state.</param>
    /// <returns>
    /// The index of the chosen endpoint in <paramref name="context"/>, or -1 when none can be chosen (for example when
    /// every endpoint is ejected); the request then fails with an <see cref="HttpRequestException"/>.
    /// </returns>
    int Pick(in LoadBalancingContext context);
}
