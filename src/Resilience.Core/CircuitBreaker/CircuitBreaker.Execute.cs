using System.Runtime.CompilerServices;
using Resilience.Internal;

namespace Resilience;

public sealed partial class CircuitBreaker
{
    /// <summary>Runs <paramref name="func"/> with <paramref name="state"/> if the breaker permits it, and records its outcome. Pass a static lambda to avoid a closure.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="func">The call to protect.</param>
    /// <param name="state">The state passed to <paramref name="func"/>.</param>
    /// <returns>The result of <paramref name="func"/>.</returns>
    /// <exception cref="CallNotPermittedException">The breaker refused the call; <paramref name="func"/> did not run.</exception>
    /// <remarks>The calls without state and those that return nothing are extension methods, in <see cref="ResilienceLayerExtensions"/>.</remarks>
    public TResult Execute<TState, TResult>(Func<TState, TResult> func, TState state)
    {
        ArgumentNullException.ThrowIfNull(func);
        CircuitBreakerPermit permit = AcquirePermission();
        TResult result;
        try
        {
            result = func(state);
        }
        catch (Exception ex)
        {
            permit.RecordFailure(ex);
            throw;
        }

        permit.RecordResult(result);
        return result;
    }

    /// <summary>Runs <paramref name="func"/> with <paramref name="state"/> if the breaker permits it, and records its outcome when it completes. Pass a static lambda to avoid a closure.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="func">The call to protect.</param>
    /// <param name="state">The state passed to <paramref name="func"/>.</param>
    /// <param name="cancellationToken">The caller's token. If it is already cancelled, the call is not started and no permit is taken; a cancellation it causes later is not recorded and the permit is released.</param>
    /// <returns>The result of <paramref name="func"/>, or a task faulted with <see cref="CallNotPermittedException"/> if the call was refused.</returns>
    /// <remarks>
    /// Allocates nothing when <paramref name="func"/> completes synchronously. The other asynchronous overloads
    /// (without state, returning nothing, returning <see cref="Task"/>) are extension methods, in
    /// <see cref="ResilienceLayerExtensions"/>.
    /// </remarks>
    public ValueTask<TResult> ExecuteAsync<TState, TResult>(Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        return RunAsync<DelegateOperation<TState, TResult>, TState, TResult>(new(func), state, cancellationToken);
    }

    /// <summary>The asynchronous core: every asynchronous call through this breaker, direct or composed, runs here.</summary>
    /// <remarks>Never inlined, so that its result reaches the caller in registers (see <see cref="GuardedCall"/>).</remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal ValueTask<TResult> RunAsync<TOperation, TState, TResult>(TOperation operation, TState state, CancellationToken cancellationToken)
        where TOperation : struct, IAsyncOperation<TState, TResult>
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<TResult>(cancellationToken);
        }

        CircuitStateObject grantedBy = Volatile.Read(ref _state);
        if (!IsAlwaysPermitted(grantedBy.Kind) && !TryAcquireSlow(ref grantedBy))
        {
            return Refuse<TResult>(grantedBy);
        }

        var permit = new CircuitBreakerPermit(grantedBy, Now());
        GuardedCall.Invoke(operation, state, cancellationToken, out ValueTask<TResult> pending);
        if (pending.IsCompletedSuccessfully)
        {
            TResult result = pending.Result;
            permit.RecordResult(result);
            return new ValueTask<TResult>(result);
        }

        return AwaitAsync(pending, permit, cancellationToken);
    }

    // The refusal is out of line: its temporaries would otherwise widen every call's frame.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private ValueTask<TResult> Refuse<TResult>(CircuitStateObject grantedBy) =>
        ValueTask.FromException<TResult>(CreateNotPermittedException(grantedBy));

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<TResult> AwaitAsync<TResult>(ValueTask<TResult> pending, CircuitBreakerPermit permit, CancellationToken cancellationToken)
    {
        TResult result;
        try
        {
            result = await pending.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            permit.RecordFailure(ex, cancellationToken);
            throw;
        }

        permit.RecordResult(result);
        return result;
    }
}
