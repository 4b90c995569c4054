namespace Resilience;

/// <summary>The kinds of <see cref="RequestRateLimiterEvent"/>.</summary>
public enum RequestRateLimiterEventType
{
    /// <summary>Permits were granted: at once, after a wait for a reservation, or reserved by <see cref="RequestRateLimiter.ReservePermission"/>.</summary>
    SuccessfulAcquire = 0,

    /// <summary>Permits were refused, or a caller waiting for its reservation was cancelled.</summary>
    FailedAcquire = 1,

    /// <summary>The permits of the current period were drained.</summary>
    Drained = 2,
}
