using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Resilience.Internal;

/// <summary>
/// The end of a chain made of built-in primitives only (two to five of them), run by one method nested like the
/// hand-written calls, instead of one hop through <see cref="LayerChain"/> per layer.
/// </summary>
/// <remarks>
/// <para><b>Shape.</b> The kinds of the layers, outermost first, each flagged when the layer forwards to a primitive of
/// that kind (<see cref="IForwardingLayer{TLayer}"/>, whose target is read once per call), are the chain's shape;
/// equal shapes share one dense id. For each shape and each (state, result) pair used with it, a runner is picked once
/// (<see cref="FusedChain"/>'s selection, in <c>FusedChain.Select.cs</c>): a static method whose type arguments name the
/// primitive at each depth (<see cref="ILayerInvoker"/>). Each layer hands its primitive's asynchronous core the rest
/// of the chain as a struct operation (<see cref="IAsyncOperation{TState, TResult}"/>), so the runtime compiles the
/// nesting as one specialised method per shape and pair, and every hop is a direct call whatever the run-time profile
/// says.</para>
/// <para><b>Calling a runner.</b> The cache holds the runner's address and calls it through a function pointer. A delegate
/// would be devirtualised by the run-time profile, and the guarded call leaves the result in a stack slot that the
/// caller's frame then copies as a block: a read the processor cannot forward from the two writes before it.</para>
/// <para><b>Native AOT.</b> Where the runtime cannot compile code at run time, no chain is fused: every instantiation
/// would have to be compiled ahead of time.</para>
/// <para><b>Cache.</b> <see cref="Runners{TState, TResult}"/> holds one array per (state, result) pair, indexed by
/// shape id. Invariants: an array is never written after it is published; a published entry is never replaced by a
/// different shape's runner; an array only grows. A miss builds a larger copy and publishes it with a compare-and-swap,
/// retrying on a race, so readers take no lock and a lost race costs one more copy, never a wrong runner.</para>
/// </remarks>
internal sealed unsafe partial class FusedChain
{
    /// <summary>The fewest layers worth fusing; one layer is already called directly.</summary>
    public const int MinLength = 2;

    /// <summary>The most layers fused: every built-in kind once.</summary>
    public const int MaxLength = 5;

    /// <summary>The flag added to a layer's kind in a shape when the layer forwards to a primitive of that kind.</summary>
    private const LayerKind Forwarded = (LayerKind)8;

    private static readonly ConcurrentDictionary<int, int> ShapeIds = new();
    private static int s_lastShapeId = -1;

    private readonly IAsyncResilienceLayer _first;
    private readonly IAsyncResilienceLayer _second;
    private readonly IAsyncResilienceLayer? _third;
    private readonly IAsyncResilienceLayer? _fourth;
    private readonly IAsyncResilienceLayer? _fifth;
    private readonly LayerKind[] _kinds;
    private readonly int _shape;

    private FusedChain(IAsyncResilienceLayer[] layers, LayerKind[] kinds)
    {
        Debug.Assert(layers.Length is >= MinLength and <= MaxLength && layers.Length == kinds.Length, "A fused chain holds two to five layers, one kind each.");
        _first = layers[0];
        _second = layers[1];
        _third = layers.Length > 2 ? layers[2] : null;
        _fourth = layers.Length > 3 ? layers[3] : null;
        _fifth = layers.Length > 4 ? layers[4] : null;
        _kinds = kinds;
        int key = 0;
        foreach (LayerKind kind in kinds)
        {
            key = (key * 16) + (int)kind;
        }

        // A factory that loses a race wastes an id; two shapes never share one.
        _shape = ShapeIds.GetOrAdd(key, static _ => Interlocked.Increment(ref s_lastShapeId));
    }

    /// <summary>The number of layers.</summary>
    public int Length => _kinds.Length;

    /// <summary>Fuses <paramref name="node"/> and every layer inside it, when they are two to five built-in primitives and the runtime compiles code.</summary>
    /// <returns>The fused chain, or null when the chain must run layer by layer.</returns>
    public static FusedChain? TryCreate(LayerNode node)
    {
        if (!RuntimeFeature.IsDynamicCodeSupported)
        {
            return null;
        }

        List<IAsyncResilienceLayer> layers = [];
        List<LayerKind> kinds = [];
        for (LayerNode? at = node; at is not null; at = at.Next)
        {
            if (at.FusedKind == LayerKind.Other || layers.Count == MaxLength)
            {
                return null;
            }

            layers.Add(at.Layer);
            kinds.Add(at.Forwards ? at.FusedKind | Forwarded : at.FusedKind);
        }

        return layers.Count < MinLength ? null : new FusedChain([.. layers], [.. kinds]);
    }

    /// <summary>Runs <paramref name="func"/> under every layer of the chain.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ValueTask<TResult> RunAsync<TState, TResult>(Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken)
    {
        nint[] runners = Runners<TState, TResult>.ByShape;
        nint runner = (uint)_shape < (uint)runners.Length ? runners[_shape] : 0;
        if (runner == 0)
        {
            runner = Runners<TState, TResult>.Add(this);
        }

        return ((delegate*<FusedChain, Func<TState, CancellationToken, ValueTask<TResult>>, TState, CancellationToken, ValueTask<TResult>>)runner)(this, func, state, cancellationToken);
    }

    /// <summary>The runners of every shape for one (state, result) pair; see the remarks of <see cref="FusedChain"/>.</summary>
    private static class Runners<TState, TResult>
    {
        public static nint[] ByShape = [];

        /// <summary>Picks the runner of <paramref name="chain"/>'s shape and publishes it.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static nint Add(FusedChain chain)
        {
            nint runner = Select<SelectFirst<TState, TResult>, TState, TResult>(chain, 0);
            Debug.Assert(runner != 0, "Every shape has a runner.");
            while (true)
            {
                nint[] current = Volatile.Read(ref ByShape);
                if ((uint)chain._shape < (uint)current.Length && current[chain._shape] is not 0 and var published)
                {
                    return published;
                }

                nint[] grown = new nint[Math.Max(current.Length, chain._shape + 1)];
                current.CopyTo(grown, 0);
                grown[chain._shape] = runner;
                if (Interlocked.CompareExchange(ref ByShape, grown, current) == current)
                {
                    Debug.Assert(grown.Length >= current.Length, "The cache only grows.");
                    return runner;
                }
            }
        }
    }

    /// <summary>What runs from one depth of a fused chain inward: a layer, or the caller's function.</summary>
    private interface IPath
    {
        static abstract ValueTask<TResult> RunAsync<TState, TResult>(FusedChain chain, Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken);
    }

    /// <summary>Picks the layer at one depth of a chain.</summary>
    private interface IDepth
    {
        static abstract IAsyncResilienceLayer Of(FusedChain chain);
    }

    /// <summary>Runs the layer at <typeparamref name="TDepth"/>, of kind <typeparamref name="TInvoker"/>, around <typeparamref name="TInner"/>.</summary>
    private readonly struct Layer<TDepth, TInvoker, TInner> : IPath
        where TDepth : struct, IDepth
        where TInvoker : struct, ILayerInvoker
        where TInner : struct, IPath
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static ValueTask<TResult> RunAsync<TState, TResult>(FusedChain chain, Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken) =>
            TInvoker.RunAsync<Inner<TInner, TState, TResult>, TState, TResult>(TDepth.Of(chain), new Inner<TInner, TState, TResult>(chain, func), state, cancellationToken);
    }

    /// <summary>The innermost path: the caller's function.</summary>
    private readonly struct Caller : IPath
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static ValueTask<TResult> RunAsync<TState, TResult>(FusedChain chain, Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken) =>
            func(state, cancellationToken);
    }

    /// <summary>The operation a fused layer hands to its primitive: the rest of the chain, <typeparamref name="TPath"/>.</summary>
    private readonly struct Inner<TPath, TState, TResult>(FusedChain chain, Func<TState, CancellationToken, ValueTask<TResult>> func) : IAsyncOperation<TState, TResult>
        where TPath : struct, IPath
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public ValueTask<TResult> InvokeAsync(TState state, CancellationToken cancellationToken) => TPath.RunAsync(chain, func, state, cancellationToken);
    }

    private readonly struct First : IDepth
    {
        public static IAsyncResilienceLayer Of(FusedChain chain) => chain._first;
    }

    private readonly struct Second : IDepth
    {
        public static IAsyncResilienceLayer Of(FusedChain chain) => chain._second;
    }

    private readonly struct Third : IDepth
    {
        public static IAsyncResilienceLayer Of(FusedChain chain) => chain._third!;
    }

    private readonly struct Fourth : IDepth
    {
        public static IAsyncResilienceLayer Of(FusedChain chain) => chain._fourth!;
    }

    private readonly struct Fifth : IDepth
    {
        public static IAsyncResilienceLayer Of(FusedChain chain) => chain._fifth!;
    }
}
