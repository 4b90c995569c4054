using System.Net;

namespace Resilience.Discovery;

/// <summary>One endpoint of a service, with the metadata its registry published.</summary>
/// <remarks>
/// Endpoints from Microsoft.Extensions.ServiceDiscovery's configuration and pass-through providers carry no metadata:
/// their <see cref="Weight"/> is 1 and their <see cref="Version"/> and <see cref="Zone"/> are <see langword="null"/>.
/// </remarks>
public sealed class DiscoveredEndpoint
{
    private readonly string _authority;

    internal DiscoveredEndpoint(EndPoint endPoint, string authority, int weight, string? version, string? zone)
    {
        EndPoint = endPoint;
        _authority = authority;
        Address = new Uri(authority + "/");
        Weight = weight;
        Version = version;
        Zone = zone;
    }

    /// <summary>Gets the endpoint as the resolver returned it.</summary>
    public EndPoint EndPoint { get; }

    /// <summary>Gets the base address requests to this endpoint are sent to, such as <c>http://10.0.0.7:5001/</c>.</summary>
    public Uri Address { get; }

    /// <summary>Gets the relative weight of the endpoint among its service's endpoints.</summary>
    /// <value>The default value is 1.</value>
    public int Weight { get; }

    /// <summary>Gets the version or subset label of the instance, such as <c>v2</c>, or <see langword="null"/>.</summary>
    public string? Version { get; }

    /// <summary>Gets the zone of the instance, or <see langword="null"/>.</summary>
    public string? Zone { get; }

    /// <inheritdoc/>
    public override string ToString() => _authority;

    /// <summary>The address of <paramref name="logical"/>'s path and query on this endpoint.</summary>
    internal Uri Rewrite(Uri logical) => new(string.Concat(_authority, logical.PathAndQuery), UriKind.Absolute);
}
