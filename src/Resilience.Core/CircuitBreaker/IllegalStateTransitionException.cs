using System.Globalization;

namespace Resilience;

/// <summary>The exception thrown when a manual transition is not in the table of legal transitions. The state is left unchanged.</summary>
/// <remarks>It is a <see cref="ResilienceException"/>, like every exception the library raises on its own account; it is no longer an <see cref="InvalidOperationException"/>.</remarks>
public sealed class IllegalStateTransitionException : ResilienceException
{
    /// <summary>Initializes a new instance of the <see cref="IllegalStateTransitionException"/> class.</summary>
    /// <param name="circuitBreakerName">The name of the breaker.</param>
    /// <param name="fromState">The state the breaker is in.</param>
    /// <param name="toState">The state that was requested.</param>
    public IllegalStateTransitionException(string circuitBreakerName, CircuitBreakerState fromState, CircuitBreakerState toState)
        : base(circuitBreakerName, string.Create(CultureInfo.InvariantCulture, $"Circuit breaker '{circuitBreakerName}' tried an illegal state transition from {fromState} to {toState}."))
    {
        FromState = fromState;
        ToState = toState;
    }

    /// <summary>Gets the name of the breaker.</summary>
    public string CircuitBreakerName => InstanceName;

    /// <summary>Gets the state the breaker was in.</summary>
    public CircuitBreakerState FromState { get; }

    /// <summary>Gets the state that was requested.</summary>
    public CircuitBreakerState ToState { get; }
}
