using Resilience.Internal;

namespace Resilience;

/// <summary>Collects the layers to stack around asynchronous calls of any result type, once a layer that runs asynchronous calls only was added.</summary>
/// <remarks>
/// <para>The nesting rules are those of <see cref="ResilienceChainBuilder"/>. The <see cref="AsyncResilienceChain"/> it builds has no
/// synchronous execution. The builder is not thread-safe; what it builds is immutable and is.</para>
/// </remarks>
public sealed class AsyncResilienceChainBuilder
{
    private readonly CompositionPlan<VoidResult> _plan;

    internal AsyncResilienceChainBuilder(CompositionPlan<VoidResult> plan) => _plan = plan;

    /// <inheritdoc cref="ResilienceChainBuilder.WithRetry(Retry)"/>
    public AsyncResilienceChainBuilder WithRetry(Retry retry)
    {
        ArgumentNullException.ThrowIfNull(retry);
        _plan.Add(LayerSlot.Retry, retry);
        return this;
    }

    /// <inheritdoc cref="ResilienceChainBuilder.WithCircuitBreaker(CircuitBreaker)"/>
    public AsyncResilienceChainBuilder WithCircuitBreaker(CircuitBreaker circuitBreaker)
    {
        ArgumentNullException.ThrowIfNull(circuitBreaker);
        _plan.Add(LayerSlot.CircuitBreaker, circuitBreaker);
        return this;
    }

    /// <inheritdoc cref="ResilienceChainBuilder.WithRateLimiter(RequestRateLimiter)"/>
    public AsyncResilienceChainBuilder WithRateLimiter(RequestRateLimiter rateLimiter)
    {
        ArgumentNullException.ThrowIfNull(rateLimiter);
        _plan.Add(LayerSlot.RateLimiter, rateLimiter);
        return this;
    }

    /// <summary>Adds a time limiter, inside the breaker and the rate limiter: each attempt is timed on its own. It runs asynchronous calls only.</summary>
    /// <param name="timeLimiter">The time limiter; it can be shared with other compositions and callers.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="InvalidOperationException">A time limiter was already added, or this instance was.</exception>
    public AsyncResilienceChainBuilder WithTimeLimiter(TimeLimiter timeLimiter)
    {
        ArgumentNullException.ThrowIfNull(timeLimiter);
        _plan.Add(LayerSlot.TimeLimiter, timeLimiter);
        return this;
    }

    /// <inheritdoc cref="ResilienceChainBuilder.WithBulkhead(Bulkhead)"/>
    public AsyncResilienceChainBuilder WithBulkhead(Bulkhead bulkhead)
    {
        ArgumentNullException.ThrowIfNull(bulkhead);
        _plan.Add(LayerSlot.Bulkhead, bulkhead);
        return this;
    }

    /// <summary>Adds a thread-pool bulkhead, which runs the call on its own threads. It runs asynchronous calls only.</summary>
    /// <param name="bulkhead">The thread-pool bulkhead; it can be shared with other compositions and callers.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="InvalidOperationException">A thread-pool bulkhead was already added, or this instance was.</exception>
    /// <remarks>It is always the innermost layer. The call runs on a worker thread, which waits for it if it returns an unfinished task: the pool is meant for blocking work, which it keeps off the shared .NET thread pool.</remarks>
    public AsyncResilienceChainBuilder WithThreadPoolBulkhead(ThreadPoolBulkhead bulkhead)
    {
        ArgumentNullException.ThrowIfNull(bulkhead);
        _plan.Add(LayerSlot.ThreadPoolBulkhead, bulkhead);
        return this;
    }

    /// <summary>Adds any layer: a primitive, a composition built by <see cref="Decorators.Chain"/>, or a layer of your own.</summary>
    /// <param name="layer">The layer; it can be shared with other compositions and callers.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="InvalidOperationException">This instance was already added.</exception>
    /// <remarks>By default it nests inside the layers added with <c>With</c> before it, and outside every built-in primitive; <c>InOrder</c> places it anywhere. A composition built by <see cref="Decorators.Chain"/> is spliced in, so nesting one costs nothing at call time. A built-in primitive added here nests by this rule, not at its place in Resilience4j's order.</remarks>
    public AsyncResilienceChainBuilder With(IAsyncResilienceLayer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        _plan.Add(layer);
        return this;
    }

    /// <inheritdoc cref="ResilienceChainBuilder.InOrder"/>
    public AsyncResilienceChainBuilder InOrder(params IAsyncResilienceLayer[] outermostFirst)
    {
        _plan.InOrder(outermostFirst);
        return this;
    }

    /// <inheritdoc cref="ResilienceChainBuilder.Build"/>
    /// <remarks>When every layer added runs synchronous calls too, the result is a <see cref="ResilienceChain"/>.</remarks>
    public AsyncResilienceChain Build() =>
        AsyncResilienceChain.Create(_plan);
}
