using System.Diagnostics;

namespace Resilience.Routing.Internal;

/// <summary>
/// The endpoints a request has already been sent to, kept in its <see cref="HttpRequestMessage.Options"/> so that a
/// retry, which passes through the routing handler again with the same message, can avoid them (Envoy's
/// <c>previous_hosts</c> retry predicate; Istio's <c>retryIgnorePreviousHosts</c>, on by default).
/// </summary>
/// <remarks>
/// Lock-free: the keys are an immutable array replaced with a compare-and-swap, so the concurrent attempts of a hedged
/// request can record and read at the same time. Invariant: each endpoint appears once, and a key once seen stays.
/// Only retries and hedged requests create the set; a first attempt of a plain request allocates nothing here.
/// </remarks>
internal sealed class AttemptedEndpoints
{
    /// <summary>The key under which the set is kept in <see cref="HttpRequestMessage.Options"/>.</summary>
    public static readonly HttpRequestOptionsKey<AttemptedEndpoints> OptionsKey = new("Resilience.Routing.AttemptedEndpoints");

    // Append-only and replaced whole with a compare-and-swap: a hedging layer's attempts add at the same time.
    private string[] _keys = [];

    /// <summary>Gets how many distinct endpoints were attempted.</summary>
    public int Count => Volatile.Read(ref _keys).Length;

    /// <summary>Gets the set of <paramref name="request"/>, creating it on first use.</summary>
    public static AttemptedEndpoints For(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Options.TryGetValue(OptionsKey, out AttemptedEndpoints? attempted))
        {
            attempted = new AttemptedEndpoints();
            request.Options.Set(OptionsKey, attempted);
        }

        return attempted;
    }

    /// <summary>Gets the set of <paramref name="request"/> if an attempt was recorded, without creating it.</summary>
    public static AttemptedEndpoints? Find(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Options.TryGetValue(OptionsKey, out AttemptedEndpoints? attempted) ? attempted : null;
    }

    /// <summary>Records an attempt to <paramref name="endpointKey"/> (once per endpoint); safe to call from concurrent attempts.</summary>
    public void Add(string endpointKey)
    {
        ArgumentNullException.ThrowIfNull(endpointKey);
        while (true)
        {
            string[] current = Volatile.Read(ref _keys);
            if (Contains(current, endpointKey))
            {
                return;
            }

            string[] next = [.. current, endpointKey];
            if (Interlocked.CompareExchange(ref _keys, next, current) == current)
            {
                Debug.Assert(next.Distinct(StringComparer.Ordinal).Count() == next.Length, "Each endpoint is recorded once.");
                return;
            }
        }
    }

    /// <summary>Tells whether <paramref name="endpointKey"/> was attempted.</summary>
    public bool Contains(string endpointKey) => Contains(Volatile.Read(ref _keys), endpointKey);

    private static bool Contains(string[] keys, string endpointKey)
    {
        foreach (string key in keys)
        {
            if (string.Equals(key, endpointKey, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
