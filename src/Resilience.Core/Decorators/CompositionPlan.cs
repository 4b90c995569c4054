namespace Resilience.Internal;

/// <summary>The built-in primitives' places in the default nesting, outermost first: Resilience4j's order.</summary>
internal enum LayerSlot
{
    Retry,
    CircuitBreaker,
    RateLimiter,
    TimeLimiter,
    Bulkhead,
    ThreadPoolBulkhead,
}

/// <summary>A composition being built: which layers were added, in which order they nest, and its fallbacks.</summary>
/// <typeparam name="TResult">The result type of the fallbacks (<see cref="VoidResult"/> for calls that return nothing).</typeparam>
/// <remarks>
/// The default nesting, outermost first: the fallbacks, then the layers added with <c>With(layer)</c> in the order
/// added, then the built-in primitives in Resilience4j's order (<see cref="LayerSlot"/>). An explicit order replaces
/// it and must name every added layer exactly once. Not thread-safe, like the builders that hold it.
/// </remarks>
internal sealed class CompositionPlan<TResult>
{
    private readonly IAsyncResilienceLayer?[] _slots;
    private readonly List<IAsyncResilienceLayer> _custom;
    private readonly List<FallbackHandler<TResult>> _fallbacks;
    private IAsyncResilienceLayer[]? _order;
    private IAsyncResilienceLayer? _fallbackInside;

    public CompositionPlan()
    {
        _slots = new IAsyncResilienceLayer?[(int)LayerSlot.ThreadPoolBulkhead + 1];
        _custom = [];
        _fallbacks = [];
    }

    private CompositionPlan(CompositionPlan<TResult> other)
    {
        _slots = [.. other._slots];
        _custom = [.. other._custom];
        _fallbacks = [.. other._fallbacks];
        _order = other._order;
        _fallbackInside = other._fallbackInside;
    }

    /// <summary>A copy, for the asynchronous builder that continues a synchronous one.</summary>
    public CompositionPlan<TResult> Clone() => new(this);

    /// <summary>Adds a built-in primitive at its place in the default nesting.</summary>
    public void Add(LayerSlot slot, IAsyncResilienceLayer layer)
    {
        if (_slots[(int)slot] is not null)
        {
            throw new InvalidOperationException($"A {slot} layer was already added; each built-in primitive can be added once through its With… method.");
        }

        CheckNotAdded(layer);
        _slots[(int)slot] = layer;
    }

    /// <summary>Adds any layer; by default it nests inside the fallbacks and outside the built-in primitives, after those added before it.</summary>
    public void Add(IAsyncResilienceLayer layer)
    {
        CheckNotAdded(layer);
        _custom.Add(layer);
    }

    public void AddFallback(Func<Exception, bool> predicate, Func<Exception, TResult>? handle, Func<Exception, CancellationToken, ValueTask<TResult>>? handleAsync) =>
        _fallbacks.Add(new FallbackHandler<TResult>(predicate, handle, handleAsync));

    public void InOrder(IAsyncResilienceLayer[] outermostFirst)
    {
        ArgumentNullException.ThrowIfNull(outermostFirst);
        if (Array.IndexOf(outermostFirst, null) >= 0)
        {
            throw new ArgumentException("The order cannot contain null.", nameof(outermostFirst));
        }

        _order = [.. outermostFirst];
    }

    public void FallbackInside(IAsyncResilienceLayer layer) => _fallbackInside = layer;

    /// <summary>Checks the plan and links it.</summary>
    /// <exception cref="InvalidOperationException">The explicit order or the fallback's place does not match the added layers, or a thread-pool bulkhead is not innermost.</exception>
    public BuiltComposition<TResult> Build()
    {
        List<IAsyncResilienceLayer> added = [.. _custom];
        foreach (IAsyncResilienceLayer? layer in _slots)
        {
            if (layer is not null)
            {
                added.Add(layer);
            }
        }

        IAsyncResilienceLayer[] layers = _order is null ? [.. added] : CheckOrder(_order, added);
        for (int i = 0; i < layers.Length - 1; i++)
        {
            if (layers[i] is ThreadPoolBulkhead)
            {
                throw new InvalidOperationException($"The thread-pool bulkhead must be the innermost layer because it runs the call itself on its own threads. Order: {Describe(layers)}.");
            }
        }

        FallbackLayer<TResult>? fallback = _fallbacks.Count == 0 ? null : new FallbackLayer<TResult>([.. _fallbacks]);
        if (_fallbackInside is null)
        {
            return new(layers, LayerChain.Link(layers), fallback);
        }

        if (fallback is null)
        {
            throw new InvalidOperationException("FallbackInside places the fallbacks, but none was added.");
        }

        int outer = IndexOf(layers, _fallbackInside);
        if (outer < 0)
        {
            throw new InvalidOperationException($"FallbackInside names a {Name(_fallbackInside)} layer that was not added. Added: {Describe(added)}.");
        }

        return new(layers, LayerChain.Link([.. layers.AsSpan(0, outer + 1), fallback, .. layers.AsSpan(outer + 1)]), null);
    }

    /// <summary>A predicate that accepts exceptions of the given types or their subtypes.</summary>
    public static Func<Exception, bool> Matching(IEnumerable<Type> exceptionTypes)
    {
        ArgumentNullException.ThrowIfNull(exceptionTypes);
        Type[] types = [.. exceptionTypes];
        if (types.Length == 0)
        {
            throw new ArgumentException("At least one exception type is needed.", nameof(exceptionTypes));
        }

        foreach (Type type in types)
        {
            if (type is null || !typeof(Exception).IsAssignableFrom(type))
            {
                throw new ArgumentException($"'{type}' is not an exception type.", nameof(exceptionTypes));
            }
        }

        return exception =>
        {
            foreach (Type type in types)
            {
                if (type.IsInstanceOfType(exception))
                {
                    return true;
                }
            }

            return false;
        };
    }

    private static IAsyncResilienceLayer[] CheckOrder(IAsyncResilienceLayer[] order, List<IAsyncResilienceLayer> added)
    {
        foreach (IAsyncResilienceLayer layer in order)
        {
            if (IndexOf(added, layer) < 0)
            {
                throw new InvalidOperationException($"The order names a {Name(layer)} layer that was not added. Added: {Describe(added)}.");
            }
        }

        foreach (IAsyncResilienceLayer layer in added)
        {
            int count = order.Count(l => ReferenceEquals(l, layer));
            if (count != 1)
            {
                throw new InvalidOperationException($"The order must name the {Name(layer)} layer exactly once, but names it {count} times. Order: {Describe(order)}.");
            }
        }

        return order;
    }

    private void CheckNotAdded(IAsyncResilienceLayer layer)
    {
        if (IndexOf(_custom, layer) >= 0 || Array.Exists(_slots, slot => ReferenceEquals(slot, layer)))
        {
            throw new InvalidOperationException($"This {Name(layer)} layer was already added; a layer can be added once.");
        }
    }

    private static int IndexOf(IReadOnlyList<IAsyncResilienceLayer> layers, IAsyncResilienceLayer layer)
    {
        for (int i = 0; i < layers.Count; i++)
        {
            if (ReferenceEquals(layers[i], layer))
            {
                return i;
            }
        }

        return -1;
    }

    private static string Name(IAsyncResilienceLayer layer) => layer.GetType().Name;

    private static string Describe(IEnumerable<IAsyncResilienceLayer> layers) => string.Join(", ", layers.Select(Name));
}

/// <summary>A checked and linked composition.</summary>
/// <param name="Layers">The layers, outermost first, as the user added or ordered them.</param>
/// <param name="Head">The chain that runs the calls (nested chains spliced in, a placed fallback linked in); null when there is no layer.</param>
/// <param name="Fallback">The fallback that runs around the whole chain; null when there is none or it is a link of the chain.</param>
internal readonly record struct BuiltComposition<TResult>(IAsyncResilienceLayer[] Layers, LayerNode? Head, FallbackLayer<TResult>? Fallback)
{
    /// <summary>Whether every link also runs synchronous calls.</summary>
    public bool IsSynchronous => LayerChain.IsSynchronous(Head);

    /// <summary>The head when a call can go straight down the chain (no fallback around it, a built-in primitive outermost); otherwise null.</summary>
    public LayerNode? Direct => Fallback is null && Head is { Kind: not LayerKind.Other } ? Head : null;
}
