namespace Resilience.Routing;

/// <summary>
/// Istio's VirtualService for one client: named <see cref="Subsets"/> of the service's endpoints, header
/// <see cref="Routes"/> to a subset, and the weighted <see cref="Destinations"/> of every other request; reloaded with
/// the configuration.
/// </summary>
/// <remarks>
/// <para>For each attempt a subset is chosen (the first route whose header matches; else, with
/// <see cref="StickyHeader"/> on the request, the hash of its value; else at random by weight), and the load-balancing
/// policy picks among that subset's endpoints. A subset with no available endpoint fails the attempt with an
/// <see cref="HttpRequestException"/> naming it, as Istio answers 503 "no healthy upstream".</para>
/// <para>Empty (the default): no split, every endpoint is a candidate.</para>
/// </remarks>
public sealed class TrafficSplitOptions
{
    /// <summary>Gets the subsets by name (compared case-insensitively), as Istio's DestinationRule <c>subsets</c>.</summary>
    public IDictionary<string, TrafficSubsetOptions> Subsets { get; } = new Dictionary<string, TrafficSubsetOptions>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets the header routes, tried in order before <see cref="Destinations"/>: the first that matches chooses the subset.</summary>
    public IList<TrafficRouteOptions> Routes { get; } = [];

    /// <summary>Gets the default route: each subset receives weight / Σweights of the requests no route matched.</summary>
    public IList<TrafficDestinationOptions> Destinations { get; } = [];

    /// <summary>
    /// Gets or sets the header whose value keeps a request on one subset: its xxHash64 is a point in the weight space, so
    /// that the same value goes to the same subset while the weights stay (Envoy's <c>header_name</c> hash policy).
    /// </summary>
    /// <value>The default value is <see langword="null"/>: each attempt draws at random.</value>
    public string? StickyHeader { get; set; }

    /// <summary>Gets whether anything is set: an empty split routes to every endpoint.</summary>
    internal bool IsEmpty => Subsets.Count == 0 && Routes.Count == 0 && Destinations.Count == 0 && string.IsNullOrEmpty(StickyHeader);
}
