using System.Globalization;

namespace Resilience;

/// <summary>Something that happened to a <see cref="CircuitBreaker"/>, delivered synchronously to <see cref="CircuitBreaker.Events"/> subscribers.</summary>
/// <remarks>Fields that do not apply to an event type hold their default value.</remarks>
public readonly struct CircuitBreakerEvent
{
    /// <summary>Gets the kind of event.</summary>
    public CircuitBreakerEventType EventType { get; internal init; }

    /// <summary>Gets the name of the breaker.</summary>
    public string CircuitBreakerName { get; internal init; }

    /// <summary>Gets when the event was created, from the breaker's <see cref="TimeProvider"/>.</summary>
    public DateTimeOffset CreationTime { get; internal init; }

    /// <summary>Gets the duration of the call, for success, error and ignored-error events.</summary>
    public TimeSpan ElapsedDuration { get; internal init; }

    /// <summary>Gets the exception of an error or ignored-error event.</summary>
    public Exception? Exception { get; internal init; }

    /// <summary>Gets the state before a transition, or the state that refused a call.</summary>
    public CircuitBreakerState FromState { get; internal init; }

    /// <summary>Gets the state after a transition.</summary>
    public CircuitBreakerState ToState { get; internal init; }

    /// <summary>Gets the rate, in percent, of a failure-rate-exceeded or slow-call-rate-exceeded event.</summary>
    public float Rate { get; internal init; }

    /// <summary>Returns a one-line description of the event.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => EventType switch
    {
        CircuitBreakerEventType.StateTransition => Format($"changed state from {FromState} to {ToState}"),
        CircuitBreakerEventType.Reset => Format($"was reset"),
        CircuitBreakerEventType.Success => Format($"recorded a successful call ({ElapsedDuration.TotalMilliseconds:0.###} ms)"),
        CircuitBreakerEventType.Error => Format($"recorded an error ({ElapsedDuration.TotalMilliseconds:0.###} ms): {Exception?.GetType().Name}: {Exception?.Message}"),
        CircuitBreakerEventType.IgnoredError => Format($"ignored an error ({ElapsedDuration.TotalMilliseconds:0.###} ms): {Exception?.GetType().Name}"),
        CircuitBreakerEventType.CallNotPermitted => Format($"did not permit a call while {FromState}"),
        CircuitBreakerEventType.FailureRateExceeded => Format($"exceeded the failure rate threshold: {Rate:0.##}%"),
        CircuitBreakerEventType.SlowCallRateExceeded => Format($"exceeded the slow-call rate threshold: {Rate:0.##}%"),
        _ => Format($"published {EventType}"),
    };

    private string Format(FormattableString what) => string.Create(
        CultureInfo.InvariantCulture, $"{CreationTime:O}: Circuit breaker '{CircuitBreakerName}' {what.ToString(CultureInfo.InvariantCulture)}");
}
