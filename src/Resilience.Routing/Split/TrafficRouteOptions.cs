namespace Resilience.Routing;

/// <summary>
/// A route of <see cref="TrafficSplitOptions.Routes"/>: requests with a header whose value matches go to
/// <see cref="Subset"/>, as an Istio HTTPRoute with a <c>headers</c> match and one destination.
/// </summary>
/// <remarks>Exactly one of <see cref="Exact"/> and <see cref="Prefix"/> is set; values are compared ordinally, and a
/// header with several values matches when one of them does.</remarks>
public sealed class TrafficRouteOptions
{
    /// <summary>Gets or sets the header name, such as <c>x-canary</c> (case-insensitive).</summary>
    public string? Header { get; set; }

    /// <summary>Gets or sets the value the header must have, such as <c>always</c>.</summary>
    public string? Exact { get; set; }

    /// <summary>Gets or sets the start the header's value must have.</summary>
    public string? Prefix { get; set; }

    /// <summary>Gets or sets the name of the subset the matching requests go to.</summary>
    public string? Subset { get; set; }
}
