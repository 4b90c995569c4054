using System.Collections.ObjectModel;
using Resilience.Internal;

namespace Resilience;

/// <summary>
/// Layers stacked around asynchronous calls of any result type, built by <see cref="Decorators.Chain"/>: a composition
/// without a result type, and itself a layer. Immutable, thread-safe and reusable for any number of calls.
/// </summary>
/// <remarks>
/// <para>It holds at least one layer that runs asynchronous calls only (a <see cref="TimeLimiter"/>, a
/// <see cref="ThreadPoolBulkhead"/> or a layer of your own), so it offers no synchronous execution; a chain whose
/// layers all run synchronous calls too is a <see cref="ResilienceChain"/>, which derives from this type.</para>
/// <para>The convenience overloads (calls without state, calls that return nothing, <see cref="Task"/>-returning
/// calls) come from <see cref="ResilienceLayerExtensions"/>. The state-passing overload with a static lambda allocates
/// nothing on the success path. A chain added as a layer of another composition is spliced into it, so nesting costs
/// nothing at call time.</para>
/// <para>It adds no rule of its own: which exceptions a retry retries or a breaker records are the primitives' own
/// options, and a rejection by one layer reaches the layers around it as the primitive raised it.</para>
/// </remarks>
public class AsyncResilienceChain : IAsyncResilienceLayer
{
    private readonly ReadOnlyCollection<IAsyncResilienceLayer> _layers;

    private protected AsyncResilienceChain(BuiltComposition<VoidResult> built)
    {
        _layers = Array.AsReadOnly(built.Layers);
        Head = built.Head;
    }

    /// <summary>Gets the layers, from the outermost to the innermost, as they were added (a nested chain is one layer).</summary>
    public IReadOnlyList<IAsyncResilienceLayer> Layers => _layers;

    /// <summary>The chain that runs the calls, nested chains spliced in; null when there is no layer.</summary>
    internal LayerNode? Head { get; }

    /// <summary>Runs <paramref name="func"/> with <paramref name="state"/> through every layer. Pass a static lambda to avoid a closure.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="func">The call to protect; it receives the token of the innermost layer (cancelled on timeout when a time limiter is stacked).</param>
    /// <param name="state">The state passed to <paramref name="func"/>.</param>
    /// <param name="cancellationToken">The caller's token. When it is already cancelled, nothing runs and the task is cancelled.</param>
    /// <returns>The result of the call. Failures, rejections included, are reported through the task.</returns>
    public ValueTask<TResult> ExecuteAsync<TState, TResult>(Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<TResult>(cancellationToken);
        }

        return LayerChain.RunGuardedAsync(Head, func, state, cancellationToken);
    }

    /// <summary>Builds the plan; a chain whose layers all run synchronous calls too is a <see cref="ResilienceChain"/>.</summary>
    internal static AsyncResilienceChain Create(CompositionPlan<VoidResult> plan)
    {
        BuiltComposition<VoidResult> built = plan.Build();
        return built.IsSynchronous ? new ResilienceChain(built) : new AsyncResilienceChain(built);
    }
}
