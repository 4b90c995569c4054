namespace Resilience;

/// <summary>What the completion of a <see cref="CircuitBreakerPermit"/> did: how the call counted and how long it took.</summary>
/// <remarks>Returned by value and allocation-free, for telemetry such as a call-duration histogram.</remarks>
public readonly struct CircuitBreakerCompletion
{
    internal CircuitBreakerCompletion(CircuitBreakerCallOutcome outcome, TimeSpan duration)
    {
        Outcome = outcome;
        Duration = duration;
    }

    /// <summary>Gets how the call counted.</summary>
    public CircuitBreakerCallOutcome Outcome { get; }

    /// <summary>Gets how long the call took, from the acquisition of the permit to its completion, on the breaker's clock.</summary>
    /// <value><see cref="TimeSpan.Zero"/> for <see cref="CircuitBreakerCallOutcome.Released"/>, which measures nothing.</value>
    public TimeSpan Duration { get; }
}
