namespace Resilience;

/// <summary>The states of a <see cref="CircuitBreaker"/>.</summary>
/// <remarks>
/// Legal transitions (any other throws <see cref="IllegalStateTransitionException"/>): every state may move to every
/// state, except <see cref="Closed"/> → <see cref="HalfOpen"/>, <see cref="MetricsOnly"/> → <see cref="Open"/> and
/// <see cref="MetricsOnly"/> → <see cref="HalfOpen"/>. A move to the same state is legal, publishes no event and
/// starts the state afresh (for example, <see cref="CircuitBreaker.TransitionToClosedState"/> while closed clears
/// the window).
/// </remarks>
public enum CircuitBreakerState
{
    /// <summary>Calls are permitted and their outcomes are recorded; the breaker opens when a rate reaches its threshold.</summary>
    Closed = 0,

    /// <summary>Calls are rejected until the wait duration in the open state has passed.</summary>
    Open = 1,

    /// <summary>A fixed number of trial calls is permitted; their outcomes decide whether the breaker closes or opens again.</summary>
    HalfOpen = 2,

    /// <summary>Calls are always permitted and nothing is recorded. Only transitions and resets are published.</summary>
    Disabled = 3,

    /// <summary>Calls are always rejected until the state is changed by hand. Only transitions and resets are published.</summary>
    ForcedOpen = 4,

    /// <summary>Calls are always permitted and recorded, and threshold events are published, but the breaker never opens.</summary>
    MetricsOnly = 5,
}
