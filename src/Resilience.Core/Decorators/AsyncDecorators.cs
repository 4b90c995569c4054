using System.Collections.ObjectModel;
using System.Runtime.CompilerServices;
using Resilience.Internal;

namespace Resilience;

/// <summary>
/// Layers and fallbacks stacked around asynchronous calls that return nothing, built by
/// <see cref="AsyncDecoratorsBuilder"/>. Immutable, thread-safe and reusable for any number of calls.
/// </summary>
/// <remarks>
/// It holds at least one layer that runs asynchronous calls only, so it has no <c>Execute</c>; decorators whose layers
/// all run synchronous calls too are a <see cref="Decorators"/>, which derives from this type. The rules are those of
/// <see cref="AsyncDecorators{TResult}"/>.
/// </remarks>
public class AsyncDecorators
{
    private readonly ReadOnlyCollection<IAsyncResilienceLayer> _layers;
    private readonly LayerNode? _head;
    private readonly FallbackLayer<VoidResult>? _fallback;
    private readonly LayerNode? _direct;

    private protected AsyncDecorators(BuiltComposition<VoidResult> built)
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
    /// <returns>A task that completes with the call or a fallback. Failures, rejections included, are reported through it.</returns>
    [OverloadResolutionPriority(1)]
    public ValueTask ExecuteAsync(Func<CancellationToken, ValueTask> func, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        return VoidCalls.FromVoid(RunAsync(static (f, ct) => VoidCalls.ToVoid(f(ct)), func, cancellationToken));
    }

    /// <summary>Runs <paramref name="func"/> with <paramref name="state"/> through every layer. Pass a static lambda to avoid a closure.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <param name="func">The call to decorate; it receives the token of the innermost layer.</param>
    /// <param name="state">The state passed to <paramref name="func"/>.</param>
    /// <param name="cancellationToken">The caller's token. When it is already cancelled, nothing runs and the task is cancelled.</param>
    /// <returns>A task that completes with the call or a fallback. Failures, rejections included, are reported through it.</returns>
    [OverloadResolutionPriority(1)]
    public ValueTask ExecuteAsync<TState>(Func<TState, CancellationToken, ValueTask> func, TState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        return VoidCalls.FromVoid(RunAsync(static (s, ct) => VoidCalls.ToVoid(s.func(s.state, ct)), (func, state), cancellationToken));
    }

    /// <summary>Runs <paramref name="func"/> through every layer.</summary>
    /// <param name="func">The call to decorate; it receives the token of the innermost layer.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>A task that completes with the call or a fallback.</returns>
    public Task ExecuteAsync(Func<CancellationToken, Task> func, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        return ExecuteAsync(static (f, ct) => new ValueTask(f(ct)), func, cancellationToken).AsTask();
    }

    /// <summary>Runs <paramref name="func"/> through every layer on the caller's thread; only <see cref="Decorators"/> exposes it.</summary>
    private protected void Run<TState>(Func<TState, VoidResult> func, TState state)
    {
        _ = _fallback is null ? LayerChain.Run(_head, func, state) : _fallback.Run(_head, func, state);
    }

    /// <summary>Builds the plan; decorators whose layers all run synchronous calls too are a <see cref="Decorators"/>.</summary>
    internal static AsyncDecorators Create(CompositionPlan<VoidResult> plan)
    {
        BuiltComposition<VoidResult> built = plan.Build();
        return built.IsSynchronous ? new Decorators(built) : new AsyncDecorators(built);
    }

    private ValueTask<VoidResult> RunAsync<TState>(Func<TState, CancellationToken, ValueTask<VoidResult>> func, TState state, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<VoidResult>(cancellationToken);
        }

        LayerNode? direct = _direct;
        return direct is not null
            ? LayerChain.RunAsync(direct, func, state, cancellationToken)
            : LayerChain.RunOtherwiseAsync(_head, _fallback, func, state, cancellationToken);
    }
}
