namespace Resilience;

public sealed partial class DecoratorsBuilder<TResult>
{
    internal Retry? Retry { get; private set; }

    internal RequestRateLimiter? RateLimiter { get; private set; }

    internal TimeLimiter? TimeLimiter { get; private set; }

    internal Bulkhead? Bulkhead { get; private set; }

    internal ThreadPoolBulkhead? ThreadPoolBulkhead { get; private set; }

    /// <summary>Adds a retry.</summary>
    /// <param name="retry">The retry; it can be shared with other decorators and callers.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="InvalidOperationException">A retry was already added.</exception>
    public DecoratorsBuilder<TResult> WithRetry(Retry retry)
    {
        ArgumentNullException.ThrowIfNull(retry);
        Retry = Once(Retry, retry, DecoratorKind.Retry);
        return this;
    }

    /// <summary>Adds a rate limiter; each call (each attempt, inside a retry) takes one permit.</summary>
    /// <param name="rateLimiter">The rate limiter; it can be shared with other decorators and callers.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="InvalidOperationException">A rate limiter was already added.</exception>
    public DecoratorsBuilder<TResult> WithRateLimiter(RequestRateLimiter rateLimiter)
    {
        ArgumentNullException.ThrowIfNull(rateLimiter);
        RateLimiter = Once(RateLimiter, rateLimiter, DecoratorKind.RateLimiter);
        return this;
    }

    /// <summary>Adds a time limiter. Calls must then go through <c>ExecuteAsync</c>.</summary>
    /// <param name="timeLimiter">The time limiter; it can be shared with other decorators and callers.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="InvalidOperationException">A time limiter was already added.</exception>
    public DecoratorsBuilder<TResult> WithTimeLimiter(TimeLimiter timeLimiter)
    {
        ArgumentNullException.ThrowIfNull(timeLimiter);
        TimeLimiter = Once(TimeLimiter, timeLimiter, DecoratorKind.TimeLimiter);
        return this;
    }

    /// <summary>Adds a semaphore bulkhead.</summary>
    /// <param name="bulkhead">The bulkhead; it can be shared with other decorators and callers.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="InvalidOperationException">A bulkhead was already added.</exception>
    public DecoratorsBuilder<TResult> WithBulkhead(Bulkhead bulkhead)
    {
        ArgumentNullException.ThrowIfNull(bulkhead);
        Bulkhead = Once(Bulkhead, bulkhead, DecoratorKind.Bulkhead);
        return this;
    }

    /// <summary>Adds a thread-pool bulkhead, which runs the call on its own threads. Calls must then go through <c>ExecuteAsync</c>.</summary>
    /// <param name="bulkhead">The thread-pool bulkhead; it can be shared with other decorators and callers.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="InvalidOperationException">A thread-pool bulkhead was already added.</exception>
    /// <remarks>
    /// It is always the innermost layer. The call runs on a worker thread, which waits for it if it returns an
    /// unfinished task: the pool is meant for blocking work, which it keeps off the shared .NET thread pool.
    /// </remarks>
    public DecoratorsBuilder<TResult> WithThreadPoolBulkhead(ThreadPoolBulkhead bulkhead)
    {
        ArgumentNullException.ThrowIfNull(bulkhead);
        ThreadPoolBulkhead = Once(ThreadPoolBulkhead, bulkhead, DecoratorKind.ThreadPoolBulkhead);
        return this;
    }

    private bool IsAdded(DecoratorKind kind) => kind switch
    {
        DecoratorKind.Fallback => _fallbacks.Count != 0,
        DecoratorKind.Retry => Retry is not null,
        DecoratorKind.CircuitBreaker => CircuitBreaker is not null,
        DecoratorKind.RateLimiter => RateLimiter is not null,
        DecoratorKind.TimeLimiter => TimeLimiter is not null,
        DecoratorKind.Bulkhead => Bulkhead is not null,
        DecoratorKind.ThreadPoolBulkhead => ThreadPoolBulkhead is not null,
        _ => false,
    };
}
