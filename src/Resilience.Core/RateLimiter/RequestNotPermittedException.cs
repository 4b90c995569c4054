using System.Globalization;

namespace Resilience;

/// <summary>The exception thrown when a <see cref="RequestRateLimiter"/> cannot grant a permit within its timeout.</summary>
public sealed class RequestNotPermittedException : ResilienceRejectedException
{
    /// <summary>Initializes a new instance of the <see cref="RequestNotPermittedException"/> class.</summary>
    /// <param name="rateLimiterName">The name of the rate limiter.</param>
    /// <param name="retryAfter">How long the caller would have had to wait for the permits, when that is known.</param>
    public RequestNotPermittedException(string rateLimiterName, TimeSpan? retryAfter = null)
        : base(rateLimiterName, CreateMessage(rateLimiterName, retryAfter)) => RetryAfter = retryAfter;

    /// <summary>Gets the name of the rate limiter that refused the call.</summary>
    public string RateLimiterName => InstanceName;

    /// <summary>Gets how long the caller would have had to wait for the permits at the moment it was refused, or <see langword="null"/> when that is not known.</summary>
    /// <remarks>Suitable for an HTTP <c>Retry-After</c> header. Other callers may take the permits meanwhile, so it is an estimate.</remarks>
    public TimeSpan? RetryAfter { get; }

    private static string CreateMessage(string name, TimeSpan? retryAfter) => retryAfter is { } wait
        ? string.Create(CultureInfo.InvariantCulture, $"Rate limiter '{name}' does not permit further calls; a permit would take {wait.TotalMilliseconds:0.###} ms, longer than its timeout.")
        : string.Create(CultureInfo.InvariantCulture, $"Rate limiter '{name}' does not permit further calls.");
}
