namespace Resilience.Discovery;

/// <summary>What an instance publishes about itself when it registers (see <c>AddServiceRegistration</c>).</summary>
public sealed class ServiceRegistrationOptions
{
    /// <summary>Gets or sets the address clients reach this instance at, such as <c>http://10.0.0.7:5001</c>.</summary>
    /// <value>
    /// The default value is <see langword="null"/>: the first address the server listens on once it has started,
    /// with a wildcard host (<c>+</c>, <c>*</c>, <c>0.0.0.0</c>, <c>[::]</c>) replaced by the machine's name.
    /// </value>
    public Uri? Address { get; set; }

    /// <summary>Gets or sets the instance's relative weight among its service's instances.</summary>
    /// <value>The default value is 1. From 1 to 1000.</value>
    public int Weight { get; set; } = 1;

    /// <summary>Gets or sets the version or subset label of the instance, such as <c>v2</c>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Version { get; set; }

    /// <summary>Gets or sets the zone of the instance.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Zone { get; set; }

    /// <summary>
    /// Gets or sets the workload identity the instance presents over mutual TLS, such as
    /// <c>spiffe://cluster.local/ns/default/sa/pricing</c>, which clients check it against.
    /// </summary>
    /// <value>
    /// The default value is <see langword="null"/>: clients learn no identity from the registry. When set, it must be
    /// a <c>spiffe://</c> URI. A client with Resilience.Identity's <c>AddWorkloadIdentity()</c> then accepts this
    /// instance only if it presents this identity.
    /// </value>
    public string? Identity { get; set; }

    /// <summary>Gets or sets whether the instance leaves the registry while its health checks report Unhealthy, and returns when they pass.</summary>
    /// <value>The default value is <see langword="true"/>. It needs <c>AddHealthChecks()</c>, whose publisher runs the checks periodically.</value>
    public bool HealthAware { get; set; } = true;
}
