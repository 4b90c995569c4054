namespace Resilience.Routing.Internal;

/// <summary>
/// The endpoints a request has already been sent to, kept in its <see cref="HttpRequestMessage.Options"/> so that a
/// retry, which passes through the routing handler again with the same message, can avoid them (Envoy's
/// <c>previous_hosts</c> retry predicate; Istio's <c>retryIgnorePreviousHosts</c>, on by default).
/// </summary>
/// <remarks>The first two endpoints are held in fields, so a request with one retry allocates only this object. Attempts
/// of one request are sequential; a hedging layer that runs attempts at once must add under its own coordination.</remarks>
internal sealed class AttemptedEndpoints
{
    /// <summary>The key under which the set is kept in <see cref="HttpRequestMessage.Options"/>.</summary>
    public static readonly HttpRequestOptionsKey<AttemptedEndpoints> OptionsKey = new("Resilience.Routing.AttemptedEndpoints");

    private string? _first;
    private string? _second;
    private List<string>? _more;

    /// <summary>Gets how many distinct endpoints were attempted.</summary>
    public int Count { get; private set; }

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

    /// <summary>Records an attempt to <paramref name="endpointKey"/> (once per endpoint).</summary>
    public void Add(string endpointKey)
    {
        ArgumentNullException.ThrowIfNull(endpointKey);
        if (Contains(endpointKey))
        {
            return;
        }

        switch (Count)
        {
            case 0:
                _first = endpointKey;
                break;
            case 1:
                _second = endpointKey;
                break;
            default:
                (_more ??= []).Add(endpointKey);
                break;
        }

        Count++;
    }

    /// <summary>Tells whether <paramref name="endpointKey"/> was attempted.</summary>
    public bool Contains(string endpointKey)
    {
        if (string.Equals(_first, endpointKey, StringComparison.Ordinal) || string.Equals(_second, endpointKey, StringComparison.Ordinal))
        {
            return true;
        }

        if (_more is not null)
        {
            foreach (string key in _more)
            {
                if (string.Equals(key, endpointKey, StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
