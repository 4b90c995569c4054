namespace Resilience;

/// <summary>How a call permitted by a <see cref="CircuitBreaker"/> counted when its <see cref="CircuitBreakerPermit"/> was completed.</summary>
public enum CircuitBreakerCallOutcome
{
    /// <summary>Recorded as a success (a slow one if it took longer than <see cref="CircuitBreakerOptions.SlowCallDurationThreshold"/>).</summary>
    Success,

    /// <summary>Recorded as a failure (a slow one if it took longer than <see cref="CircuitBreakerOptions.SlowCallDurationThreshold"/>).</summary>
    Failure,

    /// <summary>Not recorded: the exception matched an ignore rule. The permit was given back and <see cref="CircuitBreakerEventType.IgnoredError"/> published.</summary>
    Ignored,

    /// <summary>Not recorded and not published: the permit was given back, because the call did not run or its caller cancelled it.</summary>
    Released,
}
