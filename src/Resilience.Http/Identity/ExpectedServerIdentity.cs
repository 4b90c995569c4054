namespace Resilience.Http;

/// <summary>
/// The identity the server of one attempt is expected to present, carried on the request from the handler that chose
/// the server to the one that checks it.
/// </summary>
/// <remarks>
/// <para>This is the contract between packages that do not reference each other. Resilience.Discovery and
/// Resilience.Routing set it on each attempt from the chosen endpoint's registry metadata (an instance registered with
/// an identity); Resilience.Identity's client reads it when it opens a connection and refuses a server that presents
/// another identity. Any handler that picks servers can set it, and any handler that authenticates them can read it.</para>
/// <para>The value is a string so that this package stays free of any identity scheme; with Resilience.Identity it is
/// a SPIFFE ID such as <c>spiffe://cluster.local/ns/default/sa/pricing</c>.</para>
/// </remarks>
public static class ExpectedServerIdentity
{
    /// <summary>Gets the request option that holds the identity.</summary>
    public static HttpRequestOptionsKey<string> OptionsKey { get; } = new("Resilience.ExpectedServerIdentity");

    /// <summary>Gets the identity that the server of <paramref name="request"/>'s current attempt is expected to present.</summary>
    /// <param name="request">The request.</param>
    /// <returns>The identity, or <see langword="null"/> when no handler has set one.</returns>
    public static string? Get(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Options.TryGetValue(OptionsKey, out string? identity) ? identity : null;
    }

    /// <summary>
    /// Sets the identity that the server of <paramref name="request"/>'s current attempt is expected to present, or
    /// removes it, so that an attempt sent to a server without one does not carry the previous attempt's.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="identity">The identity, or <see langword="null"/> to remove it.</param>
    public static void Set(HttpRequestMessage request, string? identity)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (identity is not null)
        {
            request.Options.Set(OptionsKey, identity);
        }
        else
        {
            ((IDictionary<string, object?>)request.Options).Remove(OptionsKey.Key);
        }
    }
}
