namespace Resilience.Routing;

/// <summary>A weighted destination of <see cref="TrafficSplitOptions.Destinations"/>, as an Istio HTTPRouteDestination.</summary>
public sealed class TrafficDestinationOptions
{
    /// <summary>Gets or sets the name of the subset.</summary>
    public string? Subset { get; set; }

    /// <summary>
    /// Gets or sets the relative weight, 0 or more: the subset receives weight / Σweights of the requests, and none with
    /// 0. A lone destination receives every request, whatever its weight (Istio's rule).
    /// </summary>
    /// <value>The default value is 0.</value>
    public int Weight { get; set; }
}
