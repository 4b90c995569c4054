namespace Resilience;

/// <summary>How a <see cref="CircuitBreaker"/> decides which recent calls its rates are computed over.</summary>
public enum SlidingWindowType
{
    /// <summary>The last <see cref="CircuitBreakerOptions.SlidingWindowSize"/> calls.</summary>
    CountBased = 0,

    /// <summary>The calls recorded in the last <see cref="CircuitBreakerOptions.SlidingWindowSize"/> seconds: the current, partial second and the whole seconds before it.</summary>
    TimeBased = 1,
}
