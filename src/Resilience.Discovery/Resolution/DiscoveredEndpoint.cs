using System.Collections.Concurrent;
using System.Net;

namespace Resilience.Discovery;

/// <summary>One endpoint of a service, with the metadata its registry published.</summary>
/// <remarks>
/// Endpoints from Microsoft.Extensions.ServiceDiscovery's configuration and pass-through providers carry no metadata:
/// their <see cref="Weight"/> is 1 and their <see cref="Version"/> and <see cref="Zone"/> are <see langword="null"/>.
/// </remarks>
public sealed class DiscoveredEndpoint
{
    /// <summary>The most paths whose rewritten address an endpoint keeps; past it, each request builds its own.</summary>
    internal const int MaxCachedAddresses = 256;

    private readonly string _authority;

    // The rewritten address of each path and query sent to this endpoint, looked up by the span of the request's
    // address without allocating; bounded, since paths may carry ids.
    private readonly ConcurrentDictionary<string, Uri> _addresses = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Uri>.AlternateLookup<ReadOnlySpan<char>> _addressesBySpan;
    private int _cachedAddresses;

    internal DiscoveredEndpoint(EndPoint endPoint, string authority, int weight, string? version, string? zone)
    {
        EndPoint = endPoint;
        _authority = authority;
        Address = new Uri(authority + "/");
        Weight = weight;
        Version = version;
        Zone = zone;
        _addressesBySpan = _addresses.GetAlternateLookup<ReadOnlySpan<char>>();
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
    /// <param name="logical">The request's logical address, such as <c>http://inventory/stock/7</c>.</param>
    /// <param name="pathStart">
    /// Where the path starts in <paramref name="logical"/>'s <see cref="Uri.OriginalString"/>, right after its
    /// <c>scheme://authority</c>; -1 when unknown. With it, a path seen before reuses its address: no allocation.
    /// </param>
    internal Uri Rewrite(Uri logical, int pathStart = -1)
    {
        ReadOnlySpan<char> path = pathStart < 0 ? default : logical.OriginalString.AsSpan(pathStart);
        if (pathStart < 0 || path.Contains('#'))
        {
            return new Uri(string.Concat(_authority, logical.PathAndQuery), UriKind.Absolute);
        }

        if (_addressesBySpan.TryGetValue(path, out Uri? known))
        {
            return known;
        }

        // Parsed from the authority and the original path, as the logical address was: the same escaping and dot
        // segments as its PathAndQuery.
        var address = new Uri(string.Concat(_authority.AsSpan(), path), UriKind.Absolute);
        if (Interlocked.Increment(ref _cachedAddresses) <= MaxCachedAddresses)
        {
            _addresses.TryAdd(path.ToString(), address);
        }

        return address;
    }
}
