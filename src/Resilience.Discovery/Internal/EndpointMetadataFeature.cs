namespace Resilience.Discovery.Internal;

/// <summary>The metadata a registry published for an endpoint, carried in <c>ServiceEndpoint.Features</c>.</summary>
internal sealed class EndpointMetadataFeature(int weight, string? version, string? zone, string? identity = null)
{
    public int Weight { get; } = weight;

    public string? Version { get; } = version;

    public string? Zone { get; } = zone;

    public string? Identity { get; } = identity;
}
