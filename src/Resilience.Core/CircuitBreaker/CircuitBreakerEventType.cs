namespace Resilience;

/// <summary>The kinds of <see cref="CircuitBreakerEvent"/>.</summary>
public enum CircuitBreakerEventType
{
    /// <summary>A call succeeded, or failed with an exception that is not recorded as a failure.</summary>
    Success = 0,

    /// <summary>A call failed with a recorded exception or a recorded result.</summary>
    Error = 1,

    /// <summary>A call failed with an ignored exception; it was not recorded and gave its permit back.</summary>
    IgnoredError = 2,

    /// <summary>A call was refused.</summary>
    CallNotPermitted = 3,

    /// <summary>The breaker moved from one state to another. Published in every state.</summary>
    StateTransition = 4,

    /// <summary>The breaker was reset. Published in every state.</summary>
    Reset = 5,

    /// <summary>The failure rate reached its threshold (in the closed and metrics-only states).</summary>
    FailureRateExceeded = 6,

    /// <summary>The slow-call rate reached its threshold (in the closed and metrics-only states).</summary>
    SlowCallRateExceeded = 7,
}
