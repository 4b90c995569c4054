using Resilience.Internal;

namespace Resilience;

/// <summary>
/// Layers stacked around calls of any result type, synchronous or asynchronous, built by <see cref="Decorators.Chain"/>
/// when every layer runs synchronous calls too. Immutable, thread-safe, reusable, and itself a layer.
/// </summary>
/// <remarks>See <see cref="AsyncResilienceChain"/> for the rules both share.</remarks>
public sealed class ResilienceChain : AsyncResilienceChain, IResilienceLayer
{
    internal ResilienceChain(BuiltComposition<VoidResult> built)
        : base(built)
    {
    }

    /// <summary>Runs <paramref name="func"/> with <paramref name="state"/> through every layer, on the caller's thread. Pass a static lambda to avoid a closure.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="func">The call to protect.</param>
    /// <param name="state">The state passed to <paramref name="func"/>.</param>
    /// <returns>The result of the call.</returns>
    public TResult Execute<TState, TResult>(Func<TState, TResult> func, TState state)
    {
        ArgumentNullException.ThrowIfNull(func);
        return LayerChain.Run(Head, func, state);
    }
}
