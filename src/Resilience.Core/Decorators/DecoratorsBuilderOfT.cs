using Resilience.Internal;

namespace Resilience;

/// <summary>Collects the layers and fallbacks to stack around calls that return <typeparamref name="TResult"/>, while every layer runs synchronous calls too. Create it with <see cref="Decorators.For{TResult}"/>.</summary>
/// <typeparam name="TResult">The result type of the decorated calls.</typeparam>
/// <remarks>
/// <para>The nesting rules are those of <see cref="Decorators"/>: the built-in primitives in Resilience4j's order
/// <c>Retry(CircuitBreaker(RateLimiter(TimeLimiter(Bulkhead(ThreadPoolBulkhead(call))))))</c> whatever order they are
/// added in, layers added with <c>With(layer)</c> outside them in the order added, and the fallbacks around everything.
/// Adding a layer that runs asynchronous calls only returns an <see cref="AsyncDecoratorsBuilder{TResult}"/> instead.</para>
/// <para>The builder is not thread-safe; the <see cref="Decorators{TResult}"/> it builds is immutable and is.</para>
/// </remarks>
public sealed class DecoratorsBuilder<TResult>
{
    private readonly CompositionPlan<TResult> _plan;

    internal DecoratorsBuilder(CompositionPlan<TResult> plan) => _plan = plan;

    /// <summary>Adds a retry, outside the other built-in primitives: every attempt passes through them.</summary>
    /// <param name="retry">The retry; it can be shared with other compositions and callers.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="InvalidOperationException">A retry was already added, or this instance was.</exception>
    public DecoratorsBuilder<TResult> WithRetry(Retry retry)
    {
        ArgumentNullException.ThrowIfNull(retry);
        _plan.Add(LayerSlot.Retry, retry);
        return this;
    }

    /// <summary>Adds a circuit breaker, inside the retry: every attempt is recorded.</summary>
    /// <param name="circuitBreaker">The breaker; it can be shared with other compositions and callers.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="InvalidOperationException">A circuit breaker was already added, or this instance was.</exception>
    public DecoratorsBuilder<TResult> WithCircuitBreaker(CircuitBreaker circuitBreaker)
    {
        ArgumentNullException.ThrowIfNull(circuitBreaker);
        _plan.Add(LayerSlot.CircuitBreaker, circuitBreaker);
        return this;
    }

    /// <summary>Adds a rate limiter; each call (each attempt, inside a retry) takes one permit.</summary>
    /// <param name="rateLimiter">The rate limiter; it can be shared with other compositions and callers.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="InvalidOperationException">A rate limiter was already added, or this instance was.</exception>
    public DecoratorsBuilder<TResult> WithRateLimiter(RequestRateLimiter rateLimiter)
    {
        ArgumentNullException.ThrowIfNull(rateLimiter);
        _plan.Add(LayerSlot.RateLimiter, rateLimiter);
        return this;
    }

    /// <summary>Adds a time limiter, inside the breaker and the rate limiter: each attempt is timed on its own. It runs asynchronous calls only.</summary>
    /// <param name="timeLimiter">The time limiter; it can be shared with other compositions and callers.</param>
    /// <returns>A new asynchronous builder holding everything added so far and <paramref name="timeLimiter"/>; this builder is left as it was.</returns>
    /// <exception cref="InvalidOperationException">A time limiter was already added, or this instance was.</exception>
    public AsyncDecoratorsBuilder<TResult> WithTimeLimiter(TimeLimiter timeLimiter)
    {
        ArgumentNullException.ThrowIfNull(timeLimiter);
        return new AsyncDecoratorsBuilder<TResult>(_plan.Clone()).WithTimeLimiter(timeLimiter);
    }

    /// <summary>Adds a semaphore bulkhead, inside the time limiter: an attempt holds a permit only while it runs.</summary>
    /// <param name="bulkhead">The bulkhead; it can be shared with other compositions and callers.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="InvalidOperationException">A bulkhead was already added, or this instance was.</exception>
    public DecoratorsBuilder<TResult> WithBulkhead(Bulkhead bulkhead)
    {
        ArgumentNullException.ThrowIfNull(bulkhead);
        _plan.Add(LayerSlot.Bulkhead, bulkhead);
        return this;
    }

    /// <summary>Adds a thread-pool bulkhead, which runs the call on its own threads. It runs asynchronous calls only.</summary>
    /// <param name="bulkhead">The thread-pool bulkhead; it can be shared with other compositions and callers.</param>
    /// <returns>A new asynchronous builder holding everything added so far and <paramref name="bulkhead"/>; this builder is left as it was.</returns>
    /// <exception cref="InvalidOperationException">A thread-pool bulkhead was already added, or this instance was.</exception>
    /// <remarks>It is always the innermost layer. The call runs on a worker thread, which waits for it if it returns an unfinished task: the pool is meant for blocking work, which it keeps off the shared .NET thread pool.</remarks>
    public AsyncDecoratorsBuilder<TResult> WithThreadPoolBulkhead(ThreadPoolBulkhead bulkhead)
    {
        ArgumentNullException.ThrowIfNull(bulkhead);
        return new AsyncDecoratorsBuilder<TResult>(_plan.Clone()).WithThreadPoolBulkhead(bulkhead);
    }

    /// <summary>Adds any layer that runs synchronous calls too: a primitive, a <see cref="ResilienceChain"/>, or a layer of your own.</summary>
    /// <param name="layer">The layer; it can be shared with other compositions and callers.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="InvalidOperationException">This instance was already added.</exception>
    /// <remarks>By default it nests inside the fallbacks and the layers added with <c>With</c> before it, and outside every built-in primitive; <c>InOrder</c> places it anywhere. A composition built by <see cref="Decorators.Chain"/> is spliced in, so nesting one costs nothing at call time. A built-in primitive added here nests by this rule, not at its place in Resilience4j's order.</remarks>
    public DecoratorsBuilder<TResult> With(IResilienceLayer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        _plan.Add(layer);
        return this;
    }

    /// <summary>Adds any layer that runs asynchronous calls only, such as an <see cref="AsyncResilienceChain"/> or a layer of your own.</summary>
    /// <param name="layer">The layer; it can be shared with other compositions and callers.</param>
    /// <returns>A new asynchronous builder holding everything added so far and <paramref name="layer"/>; this builder is left as it was.</returns>
    /// <exception cref="InvalidOperationException">This instance was already added.</exception>
    /// <remarks>By default it nests inside the fallbacks and the layers added with <c>With</c> before it, and outside every built-in primitive; <c>InOrder</c> places it anywhere. A composition built by <see cref="Decorators.Chain"/> is spliced in, so nesting one costs nothing at call time. A built-in primitive added here nests by this rule, not at its place in Resilience4j's order.</remarks>
    public AsyncDecoratorsBuilder<TResult> With(IAsyncResilienceLayer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        return new AsyncDecoratorsBuilder<TResult>(_plan.Clone()).With(layer);
    }

    /// <summary>Chooses the nesting of the layers explicitly, from the outermost to the innermost.</summary>
    /// <param name="outermostFirst">Every added layer exactly once.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The order contains null.</exception>
    /// <remarks>
    /// For example, <c>InOrder(breaker, retry)</c> makes the breaker record one outcome per retried call instead of one
    /// per attempt. The fallbacks stay around every layer unless <see cref="FallbackInside"/> places them.
    /// <see cref="Build"/> checks that the order names every added layer exactly once and the thread-pool bulkhead, if
    /// any, last.
    /// </remarks>
    public DecoratorsBuilder<TResult> InOrder(params IAsyncResilienceLayer[] outermostFirst)
    {
        _plan.InOrder(outermostFirst);
        return this;
    }

    /// <summary>Places the fallbacks directly inside <paramref name="layer"/> instead of around every layer.</summary>
    /// <param name="layer">An added layer; it then sees the answer of a fallback as the outcome of the call.</param>
    /// <returns>This builder.</returns>
    /// <remarks>
    /// For example, <c>FallbackInside(breaker)</c> makes the breaker record a call that a fallback answered as a
    /// success. <see cref="Build"/> checks that <paramref name="layer"/> was added and that a fallback was.
    /// </remarks>
    public DecoratorsBuilder<TResult> FallbackInside(IAsyncResilienceLayer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        _plan.FallbackInside(layer);
        return this;
    }

    /// <summary>Adds a fallback for the exceptions <paramref name="predicate"/> accepts.</summary>
    /// <param name="predicate">Whether the fallback handles an exception.</param>
    /// <param name="fallback">Turns the exception into a result.</param>
    /// <returns>This builder.</returns>
    /// <remarks>
    /// Fallbacks are tried in the order they were added and the first that accepts the exception runs. None handles an
    /// <see cref="OperationCanceledException"/> caused by the caller's own token. Rejections are exceptions like any
    /// other, so a fallback can serve <see cref="CallNotPermittedException"/>, <see cref="BulkheadFullException"/>
    /// or a rate limiter's refusal. An exception thrown by the fallback itself propagates.
    /// </remarks>
    public DecoratorsBuilder<TResult> WithFallback(Func<Exception, bool> predicate, Func<Exception, TResult> fallback)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        ArgumentNullException.ThrowIfNull(fallback);
        _plan.AddFallback(predicate, fallback, null);
        return this;
    }

    /// <summary>Adds a fallback for exceptions of type <typeparamref name="TException"/> or a subtype.</summary>
    /// <typeparam name="TException">The exceptions handled.</typeparam>
    /// <param name="fallback">Turns the exception into a result.</param>
    /// <returns>This builder.</returns>
    /// <remarks>See <see cref="WithFallback(Func{Exception, bool}, Func{Exception, TResult})"/> for the rules.</remarks>
    public DecoratorsBuilder<TResult> WithFallback<TException>(Func<TException, TResult> fallback)
        where TException : Exception
    {
        ArgumentNullException.ThrowIfNull(fallback);
        _plan.AddFallback(static ex => ex is TException, ex => fallback((TException)ex), null);
        return this;
    }

    /// <summary>Adds a fallback for exceptions of the given types or their subtypes.</summary>
    /// <param name="exceptionTypes">The exception types handled; each derives from <see cref="Exception"/>.</param>
    /// <param name="fallback">Turns the exception into a result.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">A type is not an exception type, or the list is empty.</exception>
    /// <remarks>See <see cref="WithFallback(Func{Exception, bool}, Func{Exception, TResult})"/> for the rules.</remarks>
    public DecoratorsBuilder<TResult> WithFallback(IEnumerable<Type> exceptionTypes, Func<Exception, TResult> fallback)
    {
        Func<Exception, bool> predicate = CompositionPlan<VoidResult>.Matching(exceptionTypes);
        ArgumentNullException.ThrowIfNull(fallback);
        _plan.AddFallback(predicate, fallback, null);
        return this;
    }

    /// <summary>Adds an asynchronous fallback for the exceptions <paramref name="predicate"/> accepts.</summary>
    /// <param name="predicate">Whether the fallback handles an exception.</param>
    /// <param name="fallback">Turns the exception into a result; it receives the token of the layer it is placed in.</param>
    /// <returns>This builder.</returns>
    /// <remarks>
    /// See <see cref="WithFallback(Func{Exception, bool}, Func{Exception, TResult})"/> for the rules. On the synchronous
    /// <see cref="Decorators{TResult}.Execute(Func{TResult})"/> path the caller blocks until it completes.
    /// </remarks>
    public DecoratorsBuilder<TResult> WithFallbackAsync(Func<Exception, bool> predicate, Func<Exception, CancellationToken, ValueTask<TResult>> fallback)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        ArgumentNullException.ThrowIfNull(fallback);
        _plan.AddFallback(predicate, null, fallback);
        return this;
    }

    /// <summary>Builds the immutable, thread-safe composition.</summary>
    /// <returns>The composition, reusable for any number of calls.</returns>
    /// <exception cref="InvalidOperationException">The explicit order names a layer that was not added, misses or repeats one, or puts the thread-pool bulkhead anywhere but innermost; or <see cref="FallbackInside"/> names a layer that was not added, or no fallback was.</exception>
    public Decorators<TResult> Build() =>
        (Decorators<TResult>)AsyncDecorators<TResult>.Create(_plan);
}
