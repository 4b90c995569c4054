using System.Globalization;
using System.Net.Http.Headers;
using Resilience.Discovery;
using Resilience.Routing.Internal;
using Resilience.Routing.LoadBalancing;

namespace Resilience.Routing.Split;

/// <summary>
/// One valid <see cref="TrafficSplitOptions"/>, compiled and immutable: the subsets' matchers, the routes, and the
/// cumulative weights of the destinations. Chooses a subset per attempt without allocating, and builds per
/// <see cref="RoutingSnapshot"/> (once per endpoint-set version) the snapshot of each subset's endpoints.
/// </summary>
internal sealed class CompiledSplit
{
    private readonly Subset[] _subsets;
    private readonly Route[] _routes;
    private readonly int[] _destinations;
    private readonly int[] _bounds;
    private readonly string? _stickyHeader;

    private CompiledSplit(Subset[] subsets, Route[] routes, int[] destinations, int[] bounds, string? stickyHeader)
    {
        _subsets = subsets;
        _routes = routes;
        _destinations = destinations;
        _bounds = bounds;
        _stickyHeader = stickyHeader;
    }

    /// <summary>Gets the sum of the destinations' weights: the size of the weight space.</summary>
    public int TotalWeight => _bounds.Length == 0 ? 0 : _bounds[^1];

    /// <summary>The split of valid <paramref name="options"/>, or <see langword="null"/> when they are empty.</summary>
    public static CompiledSplit? Compile(TrafficSplitOptions options)
    {
        if (options.IsEmpty)
        {
            return null;
        }

        string[] names = [.. options.Subsets.Keys];
        Subset[] subsets = [.. names.Select(n => Subset.Compile(n, options.Subsets[n]))];
        int IndexOf(string? name) => Array.FindIndex(names, n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
        Route[] routes = [.. options.Routes.Select(r => new Route(r.Header!, r.Exact, r.Prefix, IndexOf(r.Subset)))];

        // A lone destination gets everything, whatever its weight; otherwise weight 0 gets nothing.
        bool lone = options.Destinations.Count == 1;
        var destinations = new List<int>();
        var bounds = new List<int>();
        int total = 0;
        foreach (TrafficDestinationOptions destination in options.Destinations)
        {
            int weight = lone ? 1 : destination.Weight;
            if (weight > 0)
            {
                total += weight;
                destinations.Add(IndexOf(destination.Subset));
                bounds.Add(total);
            }
        }

        return new CompiledSplit(subsets, routes, [.. destinations], [.. bounds], string.IsNullOrEmpty(options.StickyHeader) ? null : options.StickyHeader);
    }

    /// <summary>Gets the name of a subset.</summary>
    public string SubsetName(int subset) => _subsets[subset].Name;

    /// <summary>The subset of one attempt: the first matching route's, else the sticky header's, else a weighted random one.</summary>
    public int Choose(HttpRequestMessage request, RandomSource random)
    {
        HttpHeadersNonValidated headers = request.Headers.NonValidated;
        foreach (Route route in _routes)
        {
            if (headers.TryGetValues(route.Header, out HeaderStringValues values) && route.Matches(values))
            {
                return route.Subset;
            }
        }

        if (_stickyHeader is not null && headers.TryGetValues(_stickyHeader, out HeaderStringValues sticky))
        {
            return AtPoint((int)(HashKey.Hash(sticky.ToString(), 0) % (ulong)TotalWeight));
        }

        return AtPoint(random.Next(TotalWeight));
    }

    /// <summary>The destination whose share of the weight space holds <paramref name="point"/> (0 to Σweights − 1).</summary>
    public int AtPoint(int point)
    {
        int at = Array.BinarySearch(_bounds, point);
        return _destinations[at >= 0 ? at + 1 : ~at];
    }

    /// <summary>The snapshot of each subset's endpoints of <paramref name="snapshot"/>, sharing their <see cref="EndpointState"/>.</summary>
    public RoutingSnapshot[] Build(RoutingSnapshot snapshot)
    {
        var result = new RoutingSnapshot[_subsets.Length];
        var indices = new List<int>(snapshot.Endpoints.Length);
        for (int s = 0; s < _subsets.Length; s++)
        {
            indices.Clear();
            for (int i = 0; i < snapshot.Endpoints.Length; i++)
            {
                if (_subsets[s].Matches(snapshot.Endpoints[i]))
                {
                    indices.Add(i);
                }
            }

            result[s] = new RoutingSnapshot(
                snapshot.ServiceName,
                snapshot.Version,
                [.. indices.Select(i => snapshot.Endpoints[i])],
                [.. indices.Select(i => snapshot.Weights[i])],
                [.. indices.Select(i => snapshot.States[i])]);
        }

        return result;
    }

    private sealed record Subset(string Name, string? Version, string? Zone, HashSet<string>? Addresses)
    {
        public static Subset Compile(string name, TrafficSubsetOptions options) => new(
            name,
            options.Version,
            options.Zone,
            options.Addresses.Count == 0 ? null : [.. options.Addresses.Select(static a => AddressKey(new Uri(a, UriKind.Absolute)))]);

        public bool Matches(DiscoveredEndpoint endpoint) =>
            (Version is null || string.Equals(Version, endpoint.Version, StringComparison.Ordinal))
            && (Zone is null || string.Equals(Zone, endpoint.Zone, StringComparison.Ordinal))
            && (Addresses is null || Addresses.Contains(AddressKey(endpoint.Address)));

        /// <summary>Scheme, host and port, the port always written: <c>http://localhost</c> and <c>http://localhost:80</c> are one.</summary>
        private static string AddressKey(Uri address) => string.Create(CultureInfo.InvariantCulture, $"{address.Scheme}://{address.Host}:{address.Port}");
    }

    private sealed record Route(string Header, string? Exact, string? Prefix, int Subset)
    {
        public bool Matches(HeaderStringValues values)
        {
            foreach (string value in values)
            {
                if (Exact is not null ? string.Equals(value, Exact, StringComparison.Ordinal) : value.StartsWith(Prefix!, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
