namespace Resilience.Routing.Internal;

/// <summary>
/// Chooses the candidates of a retry's pick so that it goes to an endpoint the request has not tried yet, whenever
/// one is available (Istio's <c>retryIgnorePreviousHosts</c>, default true; Envoy's <c>previous_hosts</c> predicate).
/// </summary>
/// <remarks>
/// Envoy re-runs the balancer's pick up to <c>host_selection_retry_max_attempts</c> times (default 1) while it lands on
/// a previous host, and then keeps the last pick, so a retry may still return to a tried host when untried ones exist.
/// Here the tried endpoints are removed from the candidates before the policy picks: a retry reaches an untried
/// endpoint whenever one exists (as if the attempts were unlimited, at the cost of one pass over the candidates and no
/// extra pick). When every candidate was tried, all of them stay candidates, as Envoy then keeps its last pick.
/// </remarks>
internal static class PreviousHosts
{
    /// <summary>
    /// Writes into <paramref name="destination"/> (at least as long as <paramref name="candidates"/>) the candidates
    /// not in <paramref name="attempted"/>, or all of them when none is left. Allocates nothing.
    /// </summary>
    /// <returns>How many candidates were written.</returns>
    public static int SelectUntried<T>(ReadOnlySpan<T> candidates, Func<T, string> endpointKey, AttemptedEndpoints? attempted, Span<T> destination)
    {
        ArgumentNullException.ThrowIfNull(endpointKey);
        if (destination.Length < candidates.Length)
        {
            throw new ArgumentException("The destination is shorter than the candidates.", nameof(destination));
        }

        if (attempted is null || attempted.Count == 0)
        {
            candidates.CopyTo(destination);
            return candidates.Length;
        }

        int count = 0;
        foreach (T candidate in candidates)
        {
            if (!attempted.Contains(endpointKey(candidate)))
            {
                destination[count++] = candidate;
            }
        }

        if (count > 0)
        {
            return count;
        }

        candidates.CopyTo(destination);
        return candidates.Length;
    }
}
