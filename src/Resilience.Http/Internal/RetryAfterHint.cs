using System.Net.Http.Headers;

namespace Resilience.Http.Internal;

/// <summary>Reads a server's <c>Retry-After</c> hint and fits it into the time a request may still take.</summary>
internal static class RetryAfterHint
{
    /// <summary>
    /// Reads <c>Retry-After</c> in either form RFC 9110 allows: delta-seconds (<c>Retry-After: 120</c>) or an
    /// HTTP-date (<c>Retry-After: Wed, 21 Oct 2026 07:28:00 GMT</c>). A date in the past gives zero.
    /// </summary>
    /// <param name="response">The response that carries the hint.</param>
    /// <param name="now">The current time, from the caller's <see cref="TimeProvider"/>.</param>
    /// <param name="delay">The wait the server asked for.</param>
    /// <returns>Whether the response carries a usable hint.</returns>
    public static bool TryGetDelay(HttpResponseMessage response, DateTimeOffset now, out TimeSpan delay)
    {
        ArgumentNullException.ThrowIfNull(response);
        RetryConditionHeaderValue? header = response.Headers.RetryAfter;
        if (header?.Delta is TimeSpan delta)
        {
            delay = delta > TimeSpan.Zero ? delta : TimeSpan.Zero;
            return true;
        }

        if (header?.Date is DateTimeOffset date)
        {
            delay = date > now ? date - now : TimeSpan.Zero;
            return true;
        }

        delay = default;
        return false;
    }

    /// <summary>Caps a wait at <paramref name="maxWait"/> and checks that it ends within the time left.</summary>
    /// <param name="wait">The wait the server asked for.</param>
    /// <param name="maxWait">The longest wait allowed; a longer hint is shortened to it.</param>
    /// <param name="remaining">The time left before the total time limit, or <see langword="null"/> when there is none.</param>
    /// <returns>The wait to use, or <see langword="null"/> when it cannot end before the total time limit: then the caller stops and returns the last response.</returns>
    public static TimeSpan? Fit(TimeSpan wait, TimeSpan maxWait, TimeSpan? remaining)
    {
        TimeSpan capped = wait > maxWait ? maxWait : wait;
        return remaining is { } left && capped >= left ? null : capped;
    }
}
