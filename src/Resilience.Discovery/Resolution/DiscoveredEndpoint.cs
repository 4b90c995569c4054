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

    // What ends the authority in an address: the path, the query, the fragment or a backslash (a slash to Uri).
    private static readonly System.Buffers.SearchValues<char> PathStarts = System.Buffers.SearchValues.Create("/?#\\");

    private readonly string _authority;

    // The rewritten address of each path and query sent to this endpoint, looked up by the span of the request's
    // address without allocating; bounded, since paths may carry ids.
    private readonly ConcurrentDictionary<string, Uri> _addresses = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Uri>.AlternateLookup<ReadOnlySpan<char>> _addressesBySpan;
    private int _cachedAddresses;

    internal DiscoveredEndpoint(EndPoint endPoint, string authority, int weight, string? version, string? zone, string? identity = null)
    {
        EndPoint = endPoint;
        _authority = authority;
        Address = new Uri(authority + "/");
        Weight = weight;
        Version = version;
        Zone = zone;
        Identity = identity;
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

    /// <summary>
    /// Gets the workload identity the instance registered (<see cref="ServiceRegistrationOptions.Identity"/>), such as
    /// <c>spiffe://cluster.local/ns/default/sa/pricing</c>, or <see langword="null"/>.
    /// </summary>
    /// <remarks>
    /// The endpoint-resolution and endpoint-routing handlers put it on each attempt sent to this endpoint as
    /// <see cref="Resilience.Http.ExpectedServerIdentity"/>, where a client with Resilience.Identity's workload
    /// identity checks the server against it.
    /// </remarks>
    public string? Identity { get; }

    /// <inheritdoc/>
    public override string ToString() => _authority;

    /// <summary>
    /// Gets the address of <paramref name="logicalAddress"/>'s path and query on this endpoint: for the logical
    /// <c>http://inventory/stock/7?zone=a</c> and the endpoint <c>http://10.0.0.7:5001</c>,
    /// <c>http://10.0.0.7:5001/stock/7?zone=a</c>.
    /// </summary>
    /// <param name="logicalAddress">The request's absolute logical address.</param>
    /// <returns>The address on this endpoint; the fragment, if any, is dropped.</returns>
    /// <remarks>
    /// For a routing handler that sends a request to this endpoint. The addresses of the most recent paths (up to 256
    /// per endpoint) are kept, so a path seen before returns the same <see cref="Uri"/> and allocates nothing.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="logicalAddress"/> is not absolute.</exception>
    public Uri Rewrite(Uri logicalAddress)
    {
        ArgumentNullException.ThrowIfNull(logicalAddress);
        if (!logicalAddress.IsAbsoluteUri)
        {
            throw new ArgumentException($"The address '{logicalAddress}' is not absolute.", nameof(logicalAddress));
        }

        return Rewrite(logicalAddress, PathStart(logicalAddress.OriginalString));
    }

    /// <summary>Where the path starts in <paramref name="address"/>, right after <c>scheme://authority</c>; -1 when it cannot be told cheaply.</summary>
    internal static int PathStart(string address)
    {
        int scheme = address.IndexOf("://", StringComparison.Ordinal);
        if (scheme <= 0)
        {
            return -1;
        }

        int start = scheme + 3;
        int end = address.AsSpan(start).IndexOfAny(PathStarts);
        if (end < 0)
        {
            return address.Length;
        }

        // A backslash is a path separator to Uri for http(s): the span-keyed cache would not see the same path.
        return address[start + end] == '\\' ? -1 : start + end;
    }

    /// <summary>The address of <paramref name="logical"/>'s path and query on this endpoint.</summary>
    /// <param name="logical">The request's logical address, such as <c>http://inventory/stock/7</c>.</param>
    /// <param name="pathStart">
    /// Where the path starts in <paramref name="logical"/>'s <see cref="Uri.OriginalString"/>, right after its
    /// <c>scheme://authority</c>; -1 when unknown. With it, a path seen before reuses its address: no allocation.
    /// </param>
    internal Uri Rewrite(Uri logical, int pathStart)
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
