using System.Runtime.CompilerServices;

namespace Resilience.Internal;

/// <summary>
/// The operation a primitive's asynchronous core runs: the caller's delegate, or the rest of a fused chain.
/// </summary>
/// <remarks>
/// The cores take it as a struct type argument, so the runtime compiles one copy of a core per operation type and calls
/// the operation directly: a fused chain's layers reach one another without a delegate, whatever the profile says.
/// </remarks>
internal interface IAsyncOperation<in TState, TResult>
{
    /// <summary>Starts the operation.</summary>
    ValueTask<TResult> InvokeAsync(TState state, CancellationToken cancellationToken);
}

/// <summary>The caller's delegate, as an operation.</summary>
internal readonly struct DelegateOperation<TState, TResult>(Func<TState, CancellationToken, ValueTask<TResult>> func) : IAsyncOperation<TState, TResult>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ValueTask<TResult> InvokeAsync(TState state, CancellationToken cancellationToken) => func(state, cancellationToken);
}
