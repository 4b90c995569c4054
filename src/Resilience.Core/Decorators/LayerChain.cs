using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Resilience.Internal;

/// <summary>The built-in primitive a <see cref="LayerNode"/> holds, so a call reaches it without a generic virtual dispatch.</summary>
internal enum LayerKind
{
    Other,
    CircuitBreaker,
    Retry,
    Bulkhead,
    RateLimiter,
    TimeLimiter,
}

/// <summary>One layer of a built composition and the layer directly inside it; the innermost has none.</summary>
/// <remarks>Immutable: a chain is linked once by <see cref="LayerChain.Link"/> and shared by every call.</remarks>
internal sealed class LayerNode
{
    public readonly IAsyncResilienceLayer Layer;
    public readonly IResilienceLayer? SyncLayer;
    public readonly LayerNode? Next;
    public readonly LayerKind Kind;

    /// <summary>
    /// The built-in primitive this layer runs its calls through: <see cref="Kind"/> for a primitive, the kind of its
    /// target for an <see cref="IForwardingLayer{TLayer}"/> over one (whose <see cref="Kind"/> is
    /// <see cref="LayerKind.Other"/>, as any layer of its own), otherwise <see cref="LayerKind.Other"/>.
    /// </summary>
    public readonly LayerKind FusedKind;

    /// <summary>Gets whether the layer is an <see cref="IForwardingLayer{TLayer}"/> over a built-in primitive.</summary>
    public bool Forwards => Kind == LayerKind.Other && FusedKind != LayerKind.Other;

    /// <summary>This layer and every one inside it, fused into one call; null when they must run layer by layer.</summary>
    public readonly FusedChain? Fused;

    public LayerNode(IAsyncResilienceLayer layer, LayerNode? next)
    {
        Layer = layer;
        SyncLayer = layer as IResilienceLayer;
        Next = next;
        Kind = KindOf(layer);
        FusedKind = Kind != LayerKind.Other ? Kind : layer switch
        {
            IForwardingLayer<CircuitBreaker> => LayerKind.CircuitBreaker,
            IForwardingLayer<Retry> => LayerKind.Retry,
            IForwardingLayer<Bulkhead> => LayerKind.Bulkhead,
            IForwardingLayer<RequestRateLimiter> => LayerKind.RateLimiter,
            IForwardingLayer<TimeLimiter> => LayerKind.TimeLimiter,
            _ => LayerKind.Other,
        };
        Fused = FusedChain.TryCreate(this);
    }

    private static LayerKind KindOf(IAsyncResilienceLayer layer) => layer switch
    {
        CircuitBreaker => LayerKind.CircuitBreaker,
        Retry => LayerKind.Retry,
        Bulkhead => LayerKind.Bulkhead,
        RequestRateLimiter => LayerKind.RateLimiter,
        TimeLimiter => LayerKind.TimeLimiter,
        _ => LayerKind.Other,
    };
}

/// <summary>
/// Runs a call down a chain of layers through the seam alone: each layer's state-passing <c>ExecuteAsync</c> (or
/// <c>Execute</c>) receives a small struct naming the rest of the chain and a cached static callback that continues it.
/// </summary>
/// <remarks>
/// <para>The innermost layer receives the caller's own function and state, so the chain adds one hop per layer but
/// the innermost. Nothing is allocated: the step structs travel as the layers' state, and the callbacks are static
/// delegates cached once per instantiation.</para>
/// <para>A call through the seam's generic interface method is a generic virtual dispatch, which the runtime resolves
/// through a lookup on every call. The built-in primitives are sealed, so a node that holds one calls its method
/// directly (<see cref="LayerNode.Kind"/>); any other layer goes through the seam.</para>
/// <para>Where the rest of a chain is two to five built-in primitives, it runs as one fused call instead
/// (<see cref="FusedChain"/>): the hops between its layers are static calls, like primitives nested by hand.</para>
/// <para>Compositions added as layers are spliced in when the chain is linked (they are immutable sequences of
/// layers), so a nested composition costs nothing at call time.</para>
/// </remarks>
internal static class LayerChain
{
    /// <summary>Links <paramref name="outermostFirst"/> into a chain, splicing in the layers of nested compositions.</summary>
    /// <returns>The outermost node, or null when there is no layer.</returns>
    public static LayerNode? Link(IEnumerable<IAsyncResilienceLayer> outermostFirst)
    {
        List<IAsyncResilienceLayer> flat = [];
        foreach (IAsyncResilienceLayer layer in outermostFirst)
        {
            if (layer is AsyncResilienceChain chain)
            {
                for (LayerNode? node = chain.Head; node is not null; node = node.Next)
                {
                    flat.Add(node.Layer);
                }
            }
            else
            {
                flat.Add(layer);
            }
        }

        LayerNode? head = null;
        for (int i = flat.Count - 1; i >= 0; i--)
        {
            head = new LayerNode(flat[i], head);
        }

        return head;
    }

    /// <summary>Whether every layer of the chain also runs synchronous calls.</summary>
    public static bool IsSynchronous(LayerNode? head)
    {
        for (LayerNode? node = head; node is not null; node = node.Next)
        {
            if (node.SyncLayer is null)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Runs a call from the top of a composition: as <see cref="RunAsync"/>, but a synchronous throw comes back through
    /// the task, as from an async method.
    /// </summary>
    /// <remarks>
    /// A built-in primitive never throws synchronously once its arguments are checked: it hands every failure of the
    /// layers inside it back through its task. Only a chain that starts with another layer, or has none, needs the
    /// guard, which keeps the common path free of an exception handler.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ValueTask<TResult> RunGuardedAsync<TState, TResult>(LayerNode? head, Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken) =>
        head is not null && head.Kind != LayerKind.Other
            ? RunAsync(head, func, state, cancellationToken)
            : RunCatchingAsync(head, func, state, cancellationToken);

    /// <summary>Runs a call from the top of a composition that has fallbacks or another layer outermost; the rest go straight to <see cref="RunAsync"/>.</summary>
    /// <remarks>
    /// A method of its own, not inlined: a composition's entry point that merges two task-returning calls makes the JIT
    /// copy the result through the stack, which cost about 10 ns a call in the composition benchmark.
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ValueTask<TResult> RunOtherwiseAsync<TState, TResult>(LayerNode? head, FallbackLayer<TResult>? fallback, Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken) =>
        fallback is null ? RunGuardedAsync(head, func, state, cancellationToken) : fallback.RunAsync(head, func, state, cancellationToken);

    /// <summary>
    /// Runs a call as <see cref="RunAsync"/>, handing a synchronous throw back through the task. A method of its own: an
    /// exception handler in the common path's method would keep its locals in memory and cost about 13 ns a call.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ValueTask<TResult> RunCatchingAsync<TState, TResult>(LayerNode? head, Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken)
    {
        try
        {
            return RunAsync(head, func, state, cancellationToken);
        }
#pragma warning disable CA1031 // A synchronous throw is handed back through the task, as an async method would.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return ValueTask.FromException<TResult>(ex);
        }
    }

    /// <summary>Runs <paramref name="func"/> under <paramref name="head"/> and every layer inside it; directly when there is none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ValueTask<TResult> RunAsync<TState, TResult>(LayerNode? head, Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken)
    {
        if (head is null)
        {
            return func(state, cancellationToken);
        }

        // The feature check is a constant: it keeps the fused runners out of a native AOT image, where none is made.
        if (RuntimeFeature.IsDynamicCodeSupported && head.Fused is { } fused)
        {
            return fused.RunAsync(func, state, cancellationToken);
        }

        LayerNode? next = head.Next;
        return next is null
            ? ExecuteAsync(head, func, state, cancellationToken)
            : ExecuteAsync(head, AsyncStep<TState, TResult>.Continue, new AsyncStep<TState, TResult>(next, func, state), cancellationToken);
    }

    /// <summary>Runs <paramref name="func"/> under <paramref name="head"/> and every layer inside it, on the caller's thread.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TResult Run<TState, TResult>(LayerNode? head, Func<TState, TResult> func, TState state)
    {
        if (head is null)
        {
            return func(state);
        }

        Debug.Assert(head.SyncLayer is not null, "A synchronous chain holds synchronous layers only.");
        LayerNode? next = head.Next;
        return next is null
            ? Execute(head, func, state)
            : Execute(head, SyncStep<TState, TResult>.Continue, new SyncStep<TState, TResult>(next, func, state));
    }

    /// <summary>Runs one layer: a built-in primitive by a direct call, any other layer through the seam.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ValueTask<TResult> ExecuteAsync<TState, TResult>(LayerNode node, Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken) => node.Kind switch
    {
        LayerKind.CircuitBreaker => Unsafe.As<CircuitBreaker>(node.Layer).ExecuteAsync(func, state, cancellationToken),
        LayerKind.Retry => Unsafe.As<Retry>(node.Layer).ExecuteAsync(func, state, cancellationToken),
        LayerKind.Bulkhead => Unsafe.As<Bulkhead>(node.Layer).ExecuteAsync(func, state, cancellationToken),
        LayerKind.RateLimiter => Unsafe.As<RequestRateLimiter>(node.Layer).ExecuteAsync(func, state, cancellationToken),
        LayerKind.TimeLimiter => Unsafe.As<TimeLimiter>(node.Layer).ExecuteAsync(func, state, cancellationToken),
        _ => node.Layer.ExecuteAsync(func, state, cancellationToken),
    };

    /// <summary>Runs one layer on the caller's thread: a built-in primitive by a direct call, any other layer through the seam.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TResult Execute<TState, TResult>(LayerNode node, Func<TState, TResult> func, TState state)
    {
        Debug.Assert(node.SyncLayer is not null, "A synchronous chain holds synchronous layers only.");
        return node.Kind switch
        {
            LayerKind.CircuitBreaker => Unsafe.As<CircuitBreaker>(node.Layer).Execute(func, state),
            LayerKind.Retry => Unsafe.As<Retry>(node.Layer).Execute(func, state),
            LayerKind.Bulkhead => Unsafe.As<Bulkhead>(node.Layer).Execute(func, state),
            LayerKind.RateLimiter => Unsafe.As<RequestRateLimiter>(node.Layer).Execute(func, state),
            _ => node.SyncLayer!.Execute(func, state),
        };
    }

    /// <summary>The rest of an asynchronous chain, passed as a layer's state.</summary>
    private readonly struct AsyncStep<TState, TResult>(LayerNode next, Func<TState, CancellationToken, ValueTask<TResult>> func, TState state)
    {
        public static readonly Func<AsyncStep<TState, TResult>, CancellationToken, ValueTask<TResult>> Continue =
            static (step, cancellationToken) => RunAsync(step._next, step._func, step._state, cancellationToken);

        private readonly LayerNode _next = next;
        private readonly Func<TState, CancellationToken, ValueTask<TResult>> _func = func;
        private readonly TState _state = state;
    }

    /// <summary>The rest of a synchronous chain, passed as a layer's state.</summary>
    private readonly struct SyncStep<TState, TResult>(LayerNode next, Func<TState, TResult> func, TState state)
    {
        public static readonly Func<SyncStep<TState, TResult>, TResult> Continue = static step => Run(step._next, step._func, step._state);

        private readonly LayerNode _next = next;
        private readonly Func<TState, TResult> _func = func;
        private readonly TState _state = state;
    }
}
