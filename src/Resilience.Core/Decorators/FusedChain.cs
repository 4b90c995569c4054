using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Resilience.Internal;

/// <summary>Runs a fused chain for one state and result type: the nesting of its layers, compiled for its shape.</summary>
internal delegate ValueTask<TResult> FusedRunner<TState, TResult>(FusedChain chain, Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken);

/// <summary>
/// The end of a chain made of built-in primitives only (two to five of them), run by one method nested like the
/// hand-written calls, instead of one hop through <see cref="LayerChain"/> per layer.
/// </summary>
/// <remarks>
/// <para><b>Shape.</b> The kinds of the layers, outermost first, each flagged when the layer forwards to a primitive of
/// that kind (<see cref="IForwardingLayer{TLayer}"/>, whose target is read once per call), are the chain's shape;
/// equal shapes share one dense id. For each shape and each (state, result) pair used with it, a
/// <see cref="FusedRunner{TState, TResult}"/> is picked once (<see cref="FusedChain"/>'s selection, in
/// <c>FusedChain.Select.cs</c>): a static method whose type arguments name the primitive at each depth
/// (<see cref="ILayerInvoker"/>), so each layer calls the next one's <c>ExecuteAsync</c> directly, through a static
/// lambda and a small struct, and the runtime compiles the nesting as one specialised method per shape and pair.
/// Where the runtime cannot compile code at run time (native AOT), no chain is fused: every instantiation would have to
/// be compiled ahead of time.</para>
/// <para><b>Cache.</b> <see cref="Runners{TState, TResult}"/> holds one array per (state, result) pair, indexed by
/// shape id. Invariants: an array is never written after it is published; a published entry is never replaced by a
/// different shape's runner; an array only grows. A miss builds a larger copy and publishes it with a compare-and-swap,
/// retrying on a race, so readers take no lock and a lost race costs one more copy, never a wrong runner.</para>
/// </remarks>
internal sealed partial class FusedChain
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
        FusedRunner<TState, TResult>?[] runners = Runners<TState, TResult>.ByShape;
        FusedRunner<TState, TResult>? runner = (uint)_shape < (uint)runners.Length ? runners[_shape] : null;
        return (runner ?? Runners<TState, TResult>.Add(this))(this, func, state, cancellationToken);
    }

    /// <summary>The runners of every shape for one (state, result) pair; see the remarks of <see cref="FusedChain"/>.</summary>
    private static class Runners<TState, TResult>
    {
        public static FusedRunner<TState, TResult>?[] ByShape = [];

        /// <summary>Picks the runner of <paramref name="chain"/>'s shape and publishes it.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static FusedRunner<TState, TResult> Add(FusedChain chain)
        {
            FusedRunner<TState, TResult> runner = Select<First<TState, TResult>, TState, TResult>(chain, 0);
            while (true)
            {
                FusedRunner<TState, TResult>?[] current = Volatile.Read(ref ByShape);
                if ((uint)chain._shape < (uint)current.Length && current[chain._shape] is { } published)
                {
                    return published;
                }

                FusedRunner<TState, TResult>?[] grown = new FusedRunner<TState, TResult>?[Math.Max(current.Length, chain._shape + 1)];
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

    /// <summary>The call state at every depth of a fused chain: the chain, the caller's function and its state.</summary>
    private readonly struct Step<TState, TResult>(FusedChain chain, Func<TState, CancellationToken, ValueTask<TResult>> func, TState state)
    {
        public readonly FusedChain Chain = chain;
        public readonly Func<TState, CancellationToken, ValueTask<TResult>> Func = func;
        public readonly TState State = state;
    }
}
