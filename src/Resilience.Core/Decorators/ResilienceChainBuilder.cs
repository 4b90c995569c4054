using Resilience.Internal;

namespace Resilience;

/// <summary>Collects the layers to stack around calls of any result type, while every layer runs synchronous calls too. Create it with <see cref="Decorators.Chain"/>.</summary>
/// <remarks>
/// <para>The nesting rules are those of <see cref="Decorators"/>: the built-in primitives in Resilience4j's order
/// <c>Retry(CircuitBreaker(RateLimiter(TimeLimiter(Bulkhead(ThreadPoolBulkhead(call))))))</c> whatever order they are
/// added in, layers added with <c>With(layer)</c> outside them in the order added.
/// Adding a layer that runs asynchronous calls only returns an <see cref="AsyncResilienceChainBuilder"/> instead.</para>
/// <para>The builder is not thread-safe; the <see cref="ResilienceChain"/> it builds is immutable and is.</para>
/// </remarks>
public sealed class ResilienceChainBuilder
{
    private readonly CompositionPlan<VoidResult> _plan;

    internal ResilienceChainBuilder(CompositionPlan<VoidResult> plan) => _plan = plan;

    /// <summary>Adds a retry, outside the other built-in primitives: every attempt passes through them.</summary>
    /// <param name="retry">The retry; it can be shared with other compositions and callers.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="InvalidOperationException">A retry was already added, or this instance was.</exception>
    public ResilienceChainBuilder WithRetry(Retry retry)
    {
        ArgumentNullException.ThrowIfNull(retry);
        _plan.Add(LayerSlot.Retry, retry);
        return this;
    }

    /// <summary>Adds a circuit breaker, inside the retry: every attempt is recorded.</summary>
    /// <param name="circuitBreaker">The breaker; it can be shared with other compositions and callers.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="InvalidOperationException">A circuit breaker was already added, or this instance was.</exception>
    public ResilienceChainBuilder WithCircuitBreaker(CircuitBreaker circuitBreaker)
    {
        ArgumentNullException.ThrowIfNull(circuitBreaker);
        _plan.Add(LayerSlot.CircuitBreaker, circuitBreaker);
        return this;
    }

    /// <summary>Adds a rate limiter; each call (each attempt, inside a retry) takes one permit.</summary>
    /// <param name="rateLimiter">The rate limiter; it can be shared with other compositions and callers.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="InvalidOperationException">A rate limiter was already added, or this instance was.</exception>
    public ResilienceChainBuilder WithRateLimiter(RequestRateLimiter rateLimiter)
    {
        ArgumentNullException.ThrowIfNull(rateLimiter);
        _plan.Add(LayerSlot.RateLimiter, rateLimiter);
        return this;
    }

    /// <summary>Adds a time limiter, inside the breaker and the rate limiter: each attempt is timed on its own. It runs asynchronous calls only.</summary>
    /// <param name="timeLimiter">The time limiter; it can be shared with other compositions and callers.</param>
    /// <returns>A new asynchronous builder holding everything added so far and <paramref name="timeLimiter"/>; this builder is left as it was.</returns>
    /// <exception cref="InvalidOperationException">A time limiter was already added, or this instance was.</exception>
    public AsyncResilienceChainBuilder WithTimeLimiter(TimeLimiter timeLimiter)
    {
        ArgumentNullException.ThrowIfNull(timeLimiter);
        return new AsyncResilienceChainBuilder(_plan.Clone()).WithTimeLimiter(timeLimiter);
    }

    /// <summary>Adds a semaphore bulkhead, inside the time limiter: an attempt holds a permit only while it runs.</summary>
    /// <param name="bulkhead">The bulkhead; it can be shared with other compositions and callers.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="InvalidOperationException">A bulkhead was already added, or this instance was.</exception>
    public ResilienceChainBuilder WithBulkhead(Bulkhead bulkhead)
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
    public AsyncResilienceChainBuilder WithThreadPoolBulkhead(ThreadPoolBulkhead bulkhead)
    {
        ArgumentNullException.ThrowIfNull(bulkhead);
        return new AsyncResilienceChainBuilder(_plan.Clone()).WithThreadPoolBulkhead(bulkhead);
    }

    /// <summary>Adds any layer that runs synchronous calls too: a primitive, a <see cref="ResilienceChain"/>, or a layer of your own.</summary>
    /// <param name="layer">The layer; it can be shared with other compositions and callers.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="InvalidOperationException">This instance was already added.</exception>
    /// <remarks>By default it nests inside the layers added with <c>With</c> before it, and outside every built-in primitive; <c>InOrder</c> places it anywhere. A composition built by <see cref="Decorators.Chain"/> is spliced in, so nesting one costs nothing at call time. A built-in primitive added here nests by this rule, not at its place in Resilience4j's order.</remarks>
    public ResilienceChainBuilder With(IResilienceLayer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        _plan.Add(layer);
        return this;
    }

    /// <summary>Adds any layer that runs asynchronous calls only, such as an <see cref="AsyncResilienceChain"/> or a layer of your own.</summary>
    /// <param name="layer">The layer; it can be shared with other compositions and callers.</param>
    /// <returns>A new asynchronous builder holding everything added so far and <paramref name="layer"/>; this builder is left as it was.</returns>
    /// <exception cref="InvalidOperationException">This instance was already added.</exception>
    /// <remarks>By default it nests inside the layers added with <c>With</c> before it, and outside every built-in primitive; <c>InOrder</c> places it anywhere. A composition built by <see cref="Decorators.Chain"/> is spliced in, so nesting one costs nothing at call time. A built-in primitive added here nests by this rule, not at its place in Resilience4j's order.</remarks>
    public AsyncResilienceChainBuilder With(IAsyncResilienceLayer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        return new AsyncResilienceChainBuilder(_plan.Clone()).With(layer);
    }

    /// <summary>Chooses the nesting of the layers explicitly, from the outermost to the innermost.</summary>
    /// <param name="outermostFirst">Every added layer exactly once.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The order contains null.</exception>
    /// <remarks>
    /// For example, <c>InOrder(breaker, retry)</c> makes the breaker record one outcome per retried call instead of one
    /// per attempt. <see cref="Build"/> checks that the order names every added layer exactly once and the thread-pool
    /// bulkhead, if any, last.
    /// </remarks>
    public ResilienceChainBuilder InOrder(params IAsyncResilienceLayer[] outermostFirst)
    {
        _plan.InOrder(outermostFirst);
        return this;
    }

    /// <summary>Builds the immutable, thread-safe composition.</summary>
    /// <returns>The composition, reusable for any number of calls.</returns>
    /// <exception cref="InvalidOperationException">The explicit order names a layer that was not added, misses or repeats one, or puts the thread-pool bulkhead anywhere but innermost.</exception>
    public ResilienceChain Build() =>
        (ResilienceChain)AsyncResilienceChain.Create(_plan);
}
