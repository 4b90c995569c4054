namespace Resilience.Http.Internal;

/// <summary>Which requests may be retried without the caller opting in.</summary>
/// <remarks>
/// Only methods that RFC 9110 defines as idempotent are retried by default: GET, HEAD, OPTIONS, TRACE, PUT and DELETE.
/// Sending them twice has the effect of sending them once. POST and PATCH are not, so retrying them is opt-in: a
/// request that timed out may well have been applied.
/// </remarks>
internal static class HttpMethodPolicy
{
    /// <summary>Whether <paramref name="method"/> is idempotent, and so retried by default.</summary>
    public static bool IsIdempotent(HttpMethod method)
    {
        ArgumentNullException.ThrowIfNull(method);
        return method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Options
            || method == HttpMethod.Trace || method == HttpMethod.Put || method == HttpMethod.Delete;
    }
}
