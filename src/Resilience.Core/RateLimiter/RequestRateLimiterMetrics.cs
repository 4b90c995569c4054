namespace Resilience;

/// <summary>A snapshot of a <see cref="RequestRateLimiter"/>, from <see cref="RequestRateLimiter.GetMetrics"/>.</summary>
/// <remarks>The permit figures come from one atomic read of the limiter's state, estimated for the moment of the call.</remarks>
public readonly struct RequestRateLimiterMetrics
{
    /// <summary>Gets the number of permits available now. It is negative when permits of future periods are reserved.</summary>
    public int AvailablePermissions { get; internal init; }

    /// <summary>Gets the number of callers waiting for their reservation to come due.</summary>
    public int NumberOfWaitingCallers { get; internal init; }

    /// <summary>Gets the number of the current period, counted from 0 at the construction of the limiter.</summary>
    public long Cycle { get; internal init; }

    /// <summary>Gets how long a caller asking for one permit now would wait: zero when a permit is available.</summary>
    public TimeSpan TimeUntilPermission { get; internal init; }
}
