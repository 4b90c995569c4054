using Resilience.Internal;

namespace Resilience;

/// <summary>Collects the layers and fallbacks to stack around asynchronous calls that return nothing, once a layer that runs asynchronous calls only was added.</summary>
/// <remarks>
/// <para>The nesting rules are those of <see cref="DecoratorsBuilder"/>. The <see cref="AsyncDecorators"/> it builds has no
/// synchronous execution. The builder is not thread-safe; what it builds is immutable and is.</para>
/// </remarks>
public sealed class AsyncDecoratorsBuilder
{
    private readonly CompositionPlan<VoidResult> _plan;

    internal AsyncDecoratorsBuilder(CompositionPlan<VoidResult> plan) => _plan = plan;

    /// <inheritdoc cref="DecoratorsBuilder.WithRetry(Retry)"/>
    public AsyncDecoratorsBuilder WithRetry(Retry retry)
    {
        ArgumentNullException.ThrowIfNull(retry);
        _plan.Add(LayerSlot.Retry, retry);
        return this;
    }

    /// <inheritdoc cref="DecoratorsBuilder.WithCircuitBreaker(CircuitBreaker)"/>
    public AsyncDecoratorsBuilder WithCircuitBreaker(CircuitBreaker circuitBreaker)
    {
        ArgumentNullException.ThrowIfNull(circuitBreaker);
        _plan.Add(LayerSlot.CircuitBreaker, circuitBreaker);
        return this;
    }

    /// <inheritdoc cref="DecoratorsBuilder.WithRateLimiter(RequestRateLimiter)"/>
    public AsyncDecoratorsBuilder WithRateLimiter(RequestRateLimiter rateLimiter)
    {
        ArgumentNullException.ThrowIfNull(rateLimiter);
        _plan.Add(LayerSlot.RateLimiter, rateLimiter);
        return this;
    }

    /// <summary>Adds a time limiter, inside the breaker and the rate limiter: each attempt is timed on its own. It runs asynchronous calls only.</summary>
    /// <param name="timeLimiter">The time limiter; it can be shared with other compositions and callers.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="InvalidOperationException">A time limiter was already added, or this instance was.</exception>
    public AsyncDecoratorsBuilder WithTimeLimiter(TimeLimiter timeLimiter)
    {
        ArgumentNullException.ThrowIfNull(timeLimiter);
        _plan.Add(LayerSlot.TimeLimiter, timeLimiter);
        return this;
    }

    /// <inheritdoc cref="DecoratorsBuilder.WithBulkhead(Bulkhead)"/>
    public AsyncDecoratorsBuilder WithBulkhead(Bulkhead bulkhead)
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
    public AsyncDecoratorsBuilder WithThreadPoolBulkhead(ThreadPoolBulkhead bulkhead)
    {
        ArgumentNullException.ThrowIfNull(bulkhead);
        _plan.Add(LayerSlot.ThreadPoolBulkhead, bulkhead);
        return this;
    }

    /// <summary>Adds any layer: a primitive, a composition built by <see cref="Decorators.Chain"/>, or a layer of your own.</summary>
    /// <param name="layer">The layer; it can be shared with other compositions and callers.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="InvalidOperationException">This instance was already added.</exception>
    /// <remarks>By default it nests inside the fallbacks and the layers added with <c>With</c> before it, and outside every built-in primitive; <c>InOrder</c> places it anywhere. A composition built by <see cref="Decorators.Chain"/> is spliced in, so nesting one costs nothing at call time. A built-in primitive added here nests by this rule, not at its place in Resilience4j's order.</remarks>
    public AsyncDecoratorsBuilder With(IAsyncResilienceLayer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        _plan.Add(layer);
        return this;
    }

    /// <inheritdoc cref="DecoratorsBuilder.InOrder"/>
    public AsyncDecoratorsBuilder InOrder(params IAsyncResilienceLayer[] outermostFirst)
    {
        _plan.InOrder(outermostFirst);
        return this;
    }

    /// <inheritdoc cref="DecoratorsBuilder.FallbackInside"/>
    public AsyncDecoratorsBuilder FallbackInside(IAsyncResilienceLayer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        _plan.FallbackInside(layer);
        return this;
    }

    /// <inheritdoc cref="DecoratorsBuilder.WithFallback(Func{Exception, bool}, Action{Exception})"/>
    public AsyncDecoratorsBuilder WithFallback(Func<Exception, bool> predicate, Action<Exception> fallback)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        ArgumentNullException.ThrowIfNull(fallback);
        _plan.AddFallback(predicate, ex => { fallback(ex); return default; }, null);
        return this;
    }

    /// <inheritdoc cref="DecoratorsBuilder.WithFallback{TException}(Action{TException})"/>
    public AsyncDecoratorsBuilder WithFallback<TException>(Action<TException> fallback)
        where TException : Exception
    {
        ArgumentNullException.ThrowIfNull(fallback);
        _plan.AddFallback(static ex => ex is TException, ex => { fallback((TException)ex); return default; }, null);
        return this;
    }

    /// <inheritdoc cref="DecoratorsBuilder.WithFallback(IEnumerable{Type}, Action{Exception})"/>
    public AsyncDecoratorsBuilder WithFallback(IEnumerable<Type> exceptionTypes, Action<Exception> fallback)
    {
        Func<Exception, bool> predicate = CompositionPlan<VoidResult>.Matching(exceptionTypes);
        ArgumentNullException.ThrowIfNull(fallback);
        _plan.AddFallback(predicate, ex => { fallback(ex); return default; }, null);
        return this;
    }

    /// <inheritdoc cref="DecoratorsBuilder.WithFallbackAsync(Func{Exception, bool}, Func{Exception, CancellationToken, ValueTask})"/>
    public AsyncDecoratorsBuilder WithFallbackAsync(Func<Exception, bool> predicate, Func<Exception, CancellationToken, ValueTask> fallback)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        ArgumentNullException.ThrowIfNull(fallback);
        _plan.AddFallback(predicate, null, (ex, ct) => VoidCalls.ToVoid(fallback(ex, ct)));
        return this;
    }

    /// <inheritdoc cref="DecoratorsBuilder.Build"/>
    /// <remarks>When every layer added runs synchronous calls too, the result is a <see cref="Decorators"/>.</remarks>
    public AsyncDecorators Build() =>
        AsyncDecorators.Create(_plan);
}
