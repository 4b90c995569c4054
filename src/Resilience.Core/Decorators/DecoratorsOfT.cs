using System.Runtime.CompilerServices;
using Resilience.Internal;

namespace Resilience;

/// <summary>
/// Primitives and fallbacks stacked around calls that return <typeparamref name="TResult"/>, built by
/// <see cref="DecoratorsBuilder{TResult}"/>. Immutable, thread-safe and reusable for any number of calls.
/// </summary>
/// <typeparam name="TResult">The result type of the decorated calls.</typeparam>
/// <remarks>
/// <para>The state-passing overloads with a static lambda allocate nothing on the success path: each layer hands the
/// next one a small struct through the primitive's own state-passing overload, and no closure is built.</para>
/// <para>The primitives stay shared objects: a breaker used here and elsewhere keeps one state and one window.</para>
/// </remarks>
public sealed partial class Decorators<TResult>
{
    private readonly DecoratorKind[] _layers;
    private readonly FallbackHandlers<TResult>? _fallback;
    private readonly Retry? _retry;
    private readonly CircuitBreaker? _circuitBreaker;
    private readonly RequestRateLimiter? _rateLimiter;
    private readonly TimeLimiter? _timeLimiter;
    private readonly Bulkhead? _bulkhead;
    private readonly ThreadPoolBulkhead? _threadPoolBulkhead;
    private readonly bool _asyncOnly;

    internal Decorators(DecoratorsBuilder<TResult> builder, DecoratorKind[] layers, FallbackHandlers<TResult>? fallback)
    {
        _layers = layers;
        _fallback = fallback;
        _retry = builder.Retry;
        _circuitBreaker = builder.CircuitBreaker;
        _rateLimiter = builder.RateLimiter;
        _timeLimiter = builder.TimeLimiter;
        _bulkhead = builder.Bulkhead;
        _threadPoolBulkhead = builder.ThreadPoolBulkhead;
        _asyncOnly = Array.IndexOf(layers, DecoratorKind.TimeLimiter) >= 0 || Array.IndexOf(layers, DecoratorKind.ThreadPoolBulkhead) >= 0;
    }

    /// <summary>Gets the layers, from the outermost to the innermost.</summary>
    public IReadOnlyList<DecoratorKind> Layers => _layers;

    /// <summary>Runs <paramref name="func"/> through every layer.</summary>
    /// <param name="func">The call to decorate.</param>
    /// <returns>The result of the call, or of a fallback.</returns>
    /// <exception cref="InvalidOperationException">A time limiter or thread-pool bulkhead is stacked; they need <see cref="ExecuteAsync(Func{CancellationToken, ValueTask{TResult}}, CancellationToken)"/>.</exception>
    public TResult Execute(Func<TResult> func)
    {
        ArgumentNullException.ThrowIfNull(func);
        return Execute(static f => f(), func);
    }

    /// <summary>Runs <paramref name="func"/> with <paramref name="state"/> through every layer. Pass a static lambda to avoid a closure.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <param name="func">The call to decorate.</param>
    /// <param name="state">The state passed to <paramref name="func"/>.</param>
    /// <returns>The result of the call, or of a fallback.</returns>
    /// <exception cref="InvalidOperationException">A time limiter or thread-pool bulkhead is stacked; they need an asynchronous call.</exception>
    public TResult Execute<TState>(Func<TState, TResult> func, TState state)
    {
        ArgumentNullException.ThrowIfNull(func);
        if (_asyncOnly)
        {
            throw new InvalidOperationException("A time limiter or a thread-pool bulkhead is stacked, so calls must go through ExecuteAsync: a synchronous call can be neither abandoned on timeout nor moved to another thread.");
        }

        return Invoke(new SyncFrame<TState>(this, 0, func, state));
    }

    /// <summary>Runs <paramref name="func"/> through every layer.</summary>
    /// <param name="func">The call to decorate; it receives the token of the innermost layer (cancelled on timeout when a time limiter is stacked).</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The result of the call, or of a fallback. Failures, rejections included, are reported through the task.</returns>
    [OverloadResolutionPriority(1)]
    public ValueTask<TResult> ExecuteAsync(Func<CancellationToken, ValueTask<TResult>> func, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        return ExecuteAsync(static (f, ct) => f(ct), func, cancellationToken);
    }

    /// <summary>Runs <paramref name="func"/> with <paramref name="state"/> through every layer. Pass a static lambda to avoid a closure.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <param name="func">The call to decorate; it receives the token of the innermost layer.</param>
    /// <param name="state">The state passed to <paramref name="func"/>.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The result of the call, or of a fallback. Failures, rejections included, are reported through the task.</returns>
    [OverloadResolutionPriority(1)]
    public ValueTask<TResult> ExecuteAsync<TState>(Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        try
        {
            return InvokeAsync(new AsyncFrame<TState>(this, 0, func, state), cancellationToken);
        }
        catch (Exception ex)
        {
            return ValueTask.FromException<TResult>(ex);
        }
    }

    /// <summary>Runs <paramref name="func"/> through every layer.</summary>
    /// <param name="func">The call to decorate; it receives the token of the innermost layer.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The result of the call, or of a fallback.</returns>
    public Task<TResult> ExecuteAsync(Func<CancellationToken, Task<TResult>> func, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        return ExecuteAsync(static (f, ct) => new ValueTask<TResult>(f(ct)), func, cancellationToken).AsTask();
    }

    /// <summary>Runs <paramref name="func"/> with <paramref name="state"/> through every layer.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <param name="func">The call to decorate; it receives the token of the innermost layer.</param>
    /// <param name="state">The state passed to <paramref name="func"/>.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The result of the call, or of a fallback.</returns>
    public Task<TResult> ExecuteAsync<TState>(Func<TState, CancellationToken, Task<TResult>> func, TState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        return ExecuteAsync(static (s, ct) => new ValueTask<TResult>(s.func(s.state, ct)), (func, state), cancellationToken).AsTask();
    }

    /// <summary>Returns <paramref name="func"/> wrapped in every layer, like Resilience4j's <c>decorate()</c>.</summary>
    /// <param name="func">The call to decorate.</param>
    /// <returns>A function that runs <paramref name="func"/> through the layers each time it is called.</returns>
    public Func<TResult> Decorate(Func<TResult> func)
    {
        ArgumentNullException.ThrowIfNull(func);
        return () => Execute(static f => f(), func);
    }

    /// <summary>Returns <paramref name="func"/> wrapped in every layer, like Resilience4j's <c>decorate()</c>.</summary>
    /// <param name="func">The call to decorate.</param>
    /// <returns>A function that runs <paramref name="func"/> through the layers each time it is called.</returns>
    public Func<CancellationToken, ValueTask<TResult>> DecorateAsync(Func<CancellationToken, ValueTask<TResult>> func)
    {
        ArgumentNullException.ThrowIfNull(func);
        return ct => ExecuteAsync(static (f, token) => f(token), func, ct);
    }
}
