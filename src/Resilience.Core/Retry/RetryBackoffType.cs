namespace Resilience;

/// <summary>The built-in ways a <see cref="Retry"/> computes the wait before each retry. Every one can be bound from configuration by name.</summary>
/// <remarks>
/// The Resilience4j formulas (all but <see cref="DecorrelatedJitter"/>) work in whole milliseconds: the base wait is
/// truncated to milliseconds and every exponential step is truncated again. Any type is capped by
/// <see cref="RetryOptions.MaxWaitDuration"/> after randomisation. A <see cref="RetryOptions.WaitDuration"/> of zero
/// gives no wait with every type. <see cref="IntervalFunctions"/> exposes each formula.
/// </remarks>
public enum RetryBackoffType
{
    /// <summary>Every wait is <see cref="RetryOptions.WaitDuration"/> (Resilience4j <c>IntervalFunction.of</c>).</summary>
    Constant = 0,

    /// <summary>
    /// The wait starts at <see cref="RetryOptions.WaitDuration"/> and is multiplied by <see cref="RetryOptions.Multiplier"/>
    /// for each further retry, truncated to whole milliseconds at every step: 500, 750, 1125, 1687 ms, …
    /// (Resilience4j <c>ofExponentialBackoff</c>).
    /// </summary>
    Exponential = 1,

    /// <summary>
    /// The <see cref="Exponential"/> wait, randomised by ± <see cref="RetryOptions.RandomizationFactor"/>
    /// (Resilience4j <c>ofExponentialRandomBackoff</c>).
    /// </summary>
    ExponentialRandom = 2,

    /// <summary>
    /// <see cref="RetryOptions.WaitDuration"/> randomised by ± <see cref="RetryOptions.RandomizationFactor"/> for every retry
    /// (Resilience4j <c>ofRandomized</c>).
    /// </summary>
    Randomized = 3,

    /// <summary>
    /// Polly v8's "decorrelated jitter backoff V2": waits whose medians are about <see cref="RetryOptions.WaitDuration"/>
    /// × 1, 2, 4, 8, … with a smooth, decorrelated spread. <see cref="RetryOptions.Multiplier"/> and
    /// <see cref="RetryOptions.RandomizationFactor"/> do not apply. Works in ticks, not whole milliseconds.
    /// </summary>
    DecorrelatedJitter = 4,
}
