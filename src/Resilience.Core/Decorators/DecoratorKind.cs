namespace Resilience;

/// <summary>The layers a <see cref="Decorators{TResult}"/> can stack around a call.</summary>
/// <remarks>
/// The default nesting, from the outside in, is the declaration order of this enumeration: the fallback around
/// everything, then Resilience4j's order <c>Retry(CircuitBreaker(RateLimiter(TimeLimiter(Bulkhead(call)))))</c>.
/// <see cref="DecoratorsBuilder{TResult}.InOrder"/> chooses another one.
/// </remarks>
public enum DecoratorKind
{
    /// <summary>The fallback, which turns chosen exceptions into a result.</summary>
    Fallback = 0,

    /// <summary>The <see cref="Resilience.Retry"/>.</summary>
    Retry = 1,

    /// <summary>The <see cref="Resilience.CircuitBreaker"/>.</summary>
    CircuitBreaker = 2,

    /// <summary>The <see cref="RequestRateLimiter"/>.</summary>
    RateLimiter = 3,

    /// <summary>The <see cref="Resilience.TimeLimiter"/>; asynchronous calls only.</summary>
    TimeLimiter = 4,

    /// <summary>The semaphore <see cref="Resilience.Bulkhead"/>.</summary>
    Bulkhead = 5,

    /// <summary>The <see cref="Resilience.ThreadPoolBulkhead"/>; asynchronous calls only, and always the innermost layer.</summary>
    ThreadPoolBulkhead = 6,
}
