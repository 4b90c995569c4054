namespace Resilience.Routing;

/// <summary>The defaults and bounds of <see cref="EndpointRoutingOptions"/>, Envoy's.</summary>
internal static class EndpointRoutingConstants
{
    public const int DefaultChoiceCount = 2;

    public const int MaxChoiceCount = LoadBalancing.LeastRequestPolicy.MaxChoiceCount;

    public const int DefaultMinimumRingSize = 1024;

    /// <summary>Envoy's 8M cap of <c>maximum_ring_size</c>.</summary>
    public const int MaxRingSize = 8 * 1024 * 1024;

    public const int DefaultMaglevTableSize = 65537;

    /// <summary>Envoy's largest Maglev table.</summary>
    public const int MaxMaglevTableSize = 5_000_011;

    public const double DefaultSlowStartMinWeightPercent = 10;
}
