using System.Runtime.CompilerServices;
using Resilience.Internal;

namespace Resilience;

public sealed partial class Bulkhead
{
    /// <summary>Runs <paramref name="func"/> with <paramref name="state"/> once a permit is taken, blocking up to the maximum wait for one, and completes the permit when it returns or throws. Pass a static lambda to avoid a closure.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="func">The call to protect.</param>
    /// <param name="state">The state passed to <paramref name="func"/>.</param>
    /// <returns>The result of <paramref name="func"/>.</returns>
    /// <exception cref="BulkheadFullException">No permit was free within the maximum wait; <paramref name="func"/> did not run.</exception>
    /// <remarks>The calls without state and those that return nothing are extension methods, in <see cref="ResilienceLayerExtensions"/>.</remarks>
    public TResult Execute<TState, TResult>(Func<TState, TResult> func, TState state)
    {
        ArgumentNullException.ThrowIfNull(func);
        BulkheadPermit permit = AcquirePermission();
        try
        {
            return func(state);
        }
        finally
        {
            permit.Complete();
        }
    }

    /// <summary>Runs <paramref name="func"/> with <paramref name="state"/> once a permit is taken, waiting asynchronously up to the maximum wait for one, and completes the permit when the call completes. Pass a static lambda to avoid a closure.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="func">The call to protect.</param>
    /// <param name="state">The state passed to <paramref name="func"/>.</param>
    /// <param name="cancellationToken">Cancels the wait for a permit, and is passed to <paramref name="func"/>. If it is already cancelled, the call is not started and no permit is taken.</param>
    /// <returns>The result of <paramref name="func"/>, or a task faulted with <see cref="BulkheadFullException"/> if no permit was free within the maximum wait.</returns>
    /// <remarks>
    /// Allocates nothing when a permit is free and <paramref name="func"/> completes synchronously and successfully.
    /// The other asynchronous overloads (without state, returning nothing, returning <see cref="Task"/>) are extension
    /// methods, in <see cref="ResilienceLayerExtensions"/>.
    /// </remarks>
    public ValueTask<TResult> ExecuteAsync<TState, TResult>(Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        return RunAsync<DelegateOperation<TState, TResult>, TState, TResult>(new(func), state, cancellationToken);
    }

    /// <summary>The asynchronous core: every asynchronous call through this bulkhead, direct or composed, runs here.</summary>
    /// <remarks>Never inlined, so that its result reaches the caller in registers (see <see cref="GuardedCall"/>).</remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal ValueTask<TResult> RunAsync<TOperation, TState, TResult>(TOperation operation, TState state, CancellationToken cancellationToken)
        where TOperation : struct, IAsyncOperation<TState, TResult>
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<TResult>(cancellationToken);
        }

        if (TryAdmit(out BulkheadWaiter? waiter))
        {
            return Run<TOperation, TState, TResult>(new BulkheadPermit(this), operation, state, cancellationToken);
        }

        return waiter is null ? ValueTask.FromException<TResult>(Reject()) : WaitThenRunAsync<TOperation, TState, TResult>(waiter, operation, state, cancellationToken);
    }

    private static ValueTask<TResult> Run<TOperation, TState, TResult>(BulkheadPermit permit, TOperation operation, TState state, CancellationToken cancellationToken)
        where TOperation : struct, IAsyncOperation<TState, TResult>
    {
        ValueTask<TResult> pending;
        try
        {
            pending = operation.InvokeAsync(state, cancellationToken);
        }
#pragma warning disable CA1031 // The exception is handed back through the task, as an async method would.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            permit.Complete();
            return ValueTask.FromException<TResult>(ex);
        }

        if (pending.IsCompletedSuccessfully)
        {
            TResult result = pending.Result;
            permit.Complete();
            return new ValueTask<TResult>(result);
        }

        return CompleteAsync(permit, pending);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<TResult> CompleteAsync<TResult>(BulkheadPermit permit, ValueTask<TResult> pending)
    {
        try
        {
            return await pending.ConfigureAwait(false);
        }
        finally
        {
            permit.Complete();
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<TResult> WaitThenRunAsync<TOperation, TState, TResult>(BulkheadWaiter waiter, TOperation operation, TState state, CancellationToken cancellationToken)
        where TOperation : struct, IAsyncOperation<TState, TResult>
    {
        BulkheadPermit permit = await WaitAsync(waiter, cancellationToken).ConfigureAwait(false);
        return await Run<TOperation, TState, TResult>(permit, operation, state, cancellationToken).ConfigureAwait(false);
    }
}
