namespace Resilience.DependencyInjection;

/// <summary>
/// Says that an instance of the Resilience4j-shaped configuration is read by another front-end, with settings of its
/// own: an HTTP client's circuit breaker, say, with its failure status codes. Register it as a singleton service.
/// </summary>
/// <remarks>
/// <c>AddResilience</c> neither validates nor creates a claimed instance: the front-end that claims it does both, and
/// publishes what it builds in the registry under the instance's name. Without the claim, <c>AddResilience</c> would
/// report the front-end's own settings as unknown keys and create a second, plain instance under the same name.
/// </remarks>
/// <param name="primitive">The primitive's section, such as <see cref="ResilienceConfiguration.CircuitBreaker"/>.</param>
/// <param name="instanceName">The instance under <c>{primitive}:Instances</c>.</param>
public sealed class ResilienceConfigurationClaim(string primitive, string instanceName)
{
    /// <summary>Gets the primitive's section.</summary>
    public string Primitive { get; } = !string.IsNullOrEmpty(primitive) ? primitive : throw new ArgumentException("The primitive's section must be named.", nameof(primitive));

    /// <summary>Gets the instance name.</summary>
    public string InstanceName { get; } = !string.IsNullOrEmpty(instanceName) ? instanceName : throw new ArgumentException("The instance must be named.", nameof(instanceName));
}
