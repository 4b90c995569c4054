using System.Collections.ObjectModel;
using System.Runtime.CompilerServices;
using Resilience.Internal;

namespace Resilience;

/// <summary>
/// Layers and fallbacks stacked around asynchronous calls that return <typeparamref name="TResult"/>, built by
/// <see cref="AsyncDecoratorsBuilder{TResult}"/>. Immutable, thread-safe and reusable for any number of calls.
/// </summary>
/// <typeparam name="TResult">The result type of the decorated calls.</typeparam>
/// <remarks>
/// <para>It holds at least one layer that runs asynchronous calls only (a <see cref="TimeLimiter"/>, a
/// <see cref="ThreadPoolBulkhead"/> or a layer of your own), so it has no <c>Execute</c>: a synchronous call could be
/// neither abandoned on timeout nor moved to another thread. Decorators whose layers all run synchronous calls too are
/// a <see cref="Decorators{TResult}"/>, which derives from this type.</para>
/// <para>The state-passing overloads with a static lambda allocate nothing on the success path: each layer hands the
/// next one a small struct through its own state-passing <c>ExecuteAsync</c>, and no closure is built.</para>
/// <para>The layers stay shared objects: a breaker used here and elsewhere keeps one state and one window. The
/// composition adds no rule of its own: which exceptions a retry retries or a breaker records are the primitives' own
/// options, so a rejection by an inner layer (a full bulkhead, a refused rate limit) is retried or recorded only if
/// that primitive's options say so.</para>
/// </remarks>
public class AsyncDecorators<TResult>
{
    private readonly ReadOnlyCollection<IAsyncResilienceLayer> _layers;
    private readonly LayerNode? _head;
    private readonly FallbackLayer<TResult>? _fallback;
    private readonly LayerNode? _direct;

    private protected AsyncDecorators(BuiltComposition<TResult> built)
    {
        _layers = Array.AsReadOnly(built.Layers);
        _head = built.Head;
        _fallback = built.Fallback;
        _direct = built.Direct;
    }

    /// <summary>Gets the layers, from the outermost to the innermost; the fallbacks, not being layers, are not listed.</summary>
    public IReadOnlyList<IAsyncResilienceLayer> Layers => _layers;

    /// <summary>Runs <paramref name="func"/> through every layer.</summary>
    /// <param name="func">The call to decorate; it receives the token of the innermost layer (cancelled on timeout when a time limiter is stacked).</param>
    /// <param name="cancellationToken">The caller's token. When it is already cancelled, nothing runs and the task is cancelled.</param>
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
    /// <param name="cancellationToken">The caller's token. When it is already cancelled, nothing runs and the task is cancelled.</param>
    /// <returns>The result of the call, or of a fallback. Failures, rejections included, are reported through the task.</returns>
    [OverloadResolutionPriority(1)]
    public ValueTask<TResult> ExecuteAsync<TState>(Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<TResult>(cancellationToken);
        }

        LayerNode? direct = _direct;
        return direct is not null
            ? LayerChain.RunAsync(direct, func, state, cancellationToken)
            : LayerChain.RunOtherwiseAsync(_head, _fallback, func, state, cancellationToken);
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
    public Func<CancellationToken, ValueTask<TResult>> DecorateAsync(Func<CancellationToken, ValueTask<TResult>> func)
    {
        ArgumentNullException.ThrowIfNull(func);
        return ct => ExecuteAsync(static (f, token) => f(token), func, ct);
    }

    /// <summary>Runs <paramref name="func"/> through every layer on the caller's thread; only <see cref="Decorators{TResult}"/> exposes it.</summary>
    private protected TResult Run<TState>(Func<TState, TResult> func, TState state) =>
        _fallback is null ? LayerChain.Run(_head, func, state) : _fallback.Run(_head, func, state);

    /// <summary>Builds the plan; decorators whose layers all run synchronous calls too are a <see cref="Decorators{TResult}"/>.</summary>
    internal static AsyncDecorators<TResult> Create(CompositionPlan<TResult> plan)
    {
        BuiltComposition<TResult> built = plan.Build();
        return built.IsSynchronous ? new Decorators<TResult>(built) : new AsyncDecorators<TResult>(built);
    }
}
