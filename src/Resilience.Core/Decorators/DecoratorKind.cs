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

    /// <summary>The <c>Retry</c>.</summary>
    Retry = 1,

    /// <summary>The <see cref="Resilience.CircuitBreaker"/>.</summary>
    CircuitBreaker = 2,

    /// <summary>The <c>RequestRateLimiter</c>.</summary>
    RateLimiter = 3,

    /// <summary>The <c>TimeLimiter</c>; asynchronous calls only.</summary>
    TimeLimiter = 4,

    /// <summary>The semaphore <c>Bulkhead</c>.</summary>
    Bulkhead = 5,

    /// <summary>The <c>ThreadPoolBulkhead</c>; asynchronous calls only, and always the innermost layer.</summary>
    ThreadPoolBulkhead = 6,
}
