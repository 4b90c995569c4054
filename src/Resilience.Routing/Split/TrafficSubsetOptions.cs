namespace Resilience.Routing;

/// <summary>
/// Which endpoints belong to a subset of <see cref="TrafficSplitOptions"/>: those whose metadata match every criterion
/// that is set.
/// </summary>
/// <remarks>
/// Only registries that publish metadata (the etcd registry of Resilience4Net.Discovery) give endpoints a
/// <see cref="Discovery.DiscoveredEndpoint.Version"/> and <see cref="Discovery.DiscoveredEndpoint.Zone"/>; endpoints of
/// Microsoft.Extensions.ServiceDiscovery's configuration provider have none and are put in subsets by
/// <see cref="Addresses"/>.
/// </remarks>
public sealed class TrafficSubsetOptions
{
    /// <summary>Gets or sets the version label the endpoints must have (Istio's <c>version</c> label), such as <c>v2</c>; compared ordinally.</summary>
    /// <value>The default value is <see langword="null"/>: any version.</value>
    public string? Version { get; set; }

    /// <summary>Gets or sets the zone the endpoints must be in; compared ordinally.</summary>
    /// <value>The default value is <see langword="null"/>: any zone.</value>
    public string? Zone { get; set; }

    /// <summary>Gets the endpoint addresses, such as <c>http://10.0.0.7:5001</c>, one of which an endpoint must have (scheme, host and port compared).</summary>
    /// <value>The default value is empty: any address.</value>
    public IList<string> Addresses { get; } = [];
}
