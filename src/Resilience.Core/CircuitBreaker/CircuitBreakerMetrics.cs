namespace Resilience;

/// <summary>A consistent snapshot of a <see cref="CircuitBreaker"/>'s window, from <see cref="CircuitBreaker.GetMetrics"/>.</summary>
/// <remarks>
/// The window counts come from one atomic read, so they always agree: failed and slow calls never exceed buffered
/// calls, and slow failed calls never exceed failed or slow calls. Rates are <b>−1</b> until the window holds the
/// minimum number of calls. An open breaker still shows the window that opened it; a disabled or forced-open
/// breaker has an empty window.
/// </remarks>
public readonly struct CircuitBreakerMetrics
{
    /// <summary>Gets the failure rate in percent, or −1 while the window holds fewer than the minimum number of calls.</summary>
    public float FailureRate { get; internal init; }

    /// <summary>Gets the slow-call rate in percent, or −1 while the window holds fewer than the minimum number of calls.</summary>
    public float SlowCallRate { get; internal init; }

    /// <summary>Gets the number of calls in the window.</summary>
    public long NumberOfBufferedCalls { get; internal init; }

    /// <summary>Gets the number of successful calls in the window.</summary>
    public long NumberOfSuccessfulCalls => NumberOfBufferedCalls - NumberOfFailedCalls;

    /// <summary>Gets the number of failed calls in the window.</summary>
    public long NumberOfFailedCalls { get; internal init; }

    /// <summary>Gets the number of calls refused since the current window began (open, half-open and forced-open refusals).</summary>
    public long NumberOfNotPermittedCalls { get; internal init; }

    /// <summary>Gets the number of slow calls in the window, successful or not.</summary>
    public long NumberOfSlowCalls { get; internal init; }

    /// <summary>Gets the number of slow successful calls in the window.</summary>
    public long NumberOfSlowSuccessfulCalls => NumberOfSlowCalls - NumberOfSlowFailedCalls;

    /// <summary>Gets the number of slow failed calls in the window.</summary>
    public long NumberOfSlowFailedCalls { get; internal init; }
}
