using System.Collections.Concurrent;
using System.Security.Claims;

namespace Resilience.Identity;

/// <summary>
/// The calling workload of a request as policies read it: the principal and namespace of the SPIFFE ID in the
/// request's <see cref="SpiffeId.ClaimType"/> claim, found and parsed without allocating once an ID has been seen.
/// </summary>
/// <remarks>
/// Parsed IDs are cached by their text, up to <see cref="Capacity"/> of them (a service has few callers, and the
/// claims come from certificates its trust bundle accepted); beyond that an ID is parsed on each request.
/// </remarks>
internal sealed class CallerIdentity
{
    /// <summary>How many distinct claim values are cached.</summary>
    public const int Capacity = 1024;

    private static readonly CallerIdentity None = new(null, null);

    private readonly ConcurrentDictionary<string, CallerIdentity>? _cache;

    private CallerIdentity(string? principal, string? @namespace)
    {
        Principal = principal;
        Namespace = @namespace;
    }

    private CallerIdentity(ConcurrentDictionary<string, CallerIdentity> cache) => _cache = cache;

    /// <summary>The principal, <c>td/ns/x/sa/y</c>; <see langword="null"/> for none.</summary>
    public string? Principal { get; }

    /// <summary>The namespace; <see langword="null"/> for none.</summary>
    public string? Namespace { get; }

    /// <summary>Creates a reader with its own cache.</summary>
    public static CallerIdentity CreateReader() => new(new ConcurrentDictionary<string, CallerIdentity>(StringComparer.Ordinal));

    /// <summary>The caller of <paramref name="user"/>: the first <see cref="SpiffeId.ClaimType"/> claim, or none.</summary>
    public CallerIdentity Read(ClaimsPrincipal? user)
    {
        string? value = FindClaim(user);
        if (value is null || _cache is null)
        {
            return None;
        }

        if (_cache.TryGetValue(value, out CallerIdentity? known))
        {
            return known;
        }

        CallerIdentity parsed = SpiffeId.TryParse(value, out SpiffeId? id) ? new CallerIdentity(id.Principal, id.Namespace) : None;
        if (_cache.Count < Capacity)
        {
            _cache.TryAdd(value, parsed);
        }

        return parsed;
    }

    /// <summary>
    /// The value of the first claim of the type (compared as <see cref="ClaimsPrincipal.FindFirst(string)"/> does),
    /// read with index loops where the collections are lists, so that no enumerator is allocated.
    /// </summary>
    private static string? FindClaim(ClaimsPrincipal? user)
    {
        if (user is null)
        {
            return null;
        }

        if (user.Identities is IReadOnlyList<ClaimsIdentity> identities)
        {
            for (int i = 0; i < identities.Count; i++)
            {
                if (FindClaim(identities[i]) is { } value)
                {
                    return value;
                }
            }

            return null;
        }

        return user.FindFirst(SpiffeId.ClaimType)?.Value;
    }

    private static string? FindClaim(ClaimsIdentity? identity)
    {
        if (identity is null)
        {
            return null;
        }

        if (identity.Claims is IReadOnlyList<Claim> claims)
        {
            for (int i = 0; i < claims.Count; i++)
            {
                Claim claim = claims[i];
                if (string.Equals(claim.Type, SpiffeId.ClaimType, StringComparison.OrdinalIgnoreCase))
                {
                    return claim.Value;
                }
            }

            return null;
        }

        return identity.FindFirst(SpiffeId.ClaimType)?.Value;
    }
}
