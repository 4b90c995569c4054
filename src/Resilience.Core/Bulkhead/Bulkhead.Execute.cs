using System.Runtime.CompilerServices;
using Resilience.Internal;

namespace Resilience;

public sealed partial class Bulkhead
{
    /// <summary>Runs <paramref name="func"/> once a permit is taken, blocking up to the maximum wait for one, and gives the permit back when it returns or throws.</summary>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="func">The call to protect.</param>
    /// <returns>The result of <paramref name="func"/>.</returns>
    /// <exception cref="BulkheadFullException">No permit was free within the maximum wait; <paramref name="func"/> did not run.</exception>
    public TResult Execute<TResult>(Func<TResult> func)
    {
        ArgumentNullException.ThrowIfNull(func);
        return Execute(static f => f(), func);
    }

    /// <summary>Runs <paramref name="func"/> with <paramref name="state"/> once a permit is taken, blocking up to the maximum wait for one. Pass a static lambda to avoid a closure.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="func">The call to protect.</param>
    /// <param name="state">The state passed to <paramref name="func"/>.</param>
    /// <returns>The result of <paramref name="func"/>.</returns>
    /// <exception cref="BulkheadFullException">No permit was free within the maximum wait; <paramref name="func"/> did not run.</exception>
    public TResult Execute<TState, TResult>(Func<TState, TResult> func, TState state)
    {
        ArgumentNullException.ThrowIfNull(func);
        AcquirePermission();
        try
        {
            return func(state);
        }
        finally
        {
            OnComplete();
        }
    }

    /// <summary>Runs <paramref name="action"/> once a permit is taken, blocking up to the maximum wait for one, and gives the permit back when it returns or throws.</summary>
    /// <param name="action">The call to protect.</param>
    /// <exception cref="BulkheadFullException">No permit was free within the maximum wait; <paramref name="action"/> did not run.</exception>
    public void Execute(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Execute(static a => { a(); return default(VoidResult); }, action);
    }

    /// <summary>Runs <paramref name="action"/> with <paramref name="state"/> once a permit is taken, blocking up to the maximum wait for one.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <param name="action">The call to protect.</param>
    /// <param name="state">The state passed to <paramref name="action"/>.</param>
    /// <exception cref="BulkheadFullException">No permit was free within the maximum wait; <paramref name="action"/> did not run.</exception>
    public void Execute<TState>(Action<TState> action, TState state)
    {
        ArgumentNullException.ThrowIfNull(action);
        Execute(static s => { s.action(s.state); return default(VoidResult); }, (action, state));
    }

    /// <summary>Runs <paramref name="func"/> once a permit is taken, waiting asynchronously up to the maximum wait for one, and gives the permit back when it completes.</summary>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="func">The call to protect; it receives <paramref name="cancellationToken"/>.</param>
    /// <param name="cancellationToken">Cancels the wait for a permit, and is passed to <paramref name="func"/>.</param>
    /// <returns>The result of <paramref name="func"/>, or a task faulted with <see cref="BulkheadFullException"/> if no permit was free within the maximum wait.</returns>
    [OverloadResolutionPriority(1)]
    public ValueTask<TResult> ExecuteAsync<TResult>(Func<CancellationToken, ValueTask<TResult>> func, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        return ExecuteAsync(static (f, ct) => f(ct), func, cancellationToken);
    }

    /// <summary>Runs <paramref name="func"/> with <paramref name="state"/> once a permit is taken, waiting asynchronously up to the maximum wait for one. Pass a static lambda to avoid a closure.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="func">The call to protect.</param>
    /// <param name="state">The state passed to <paramref name="func"/>.</param>
    /// <param name="cancellationToken">Cancels the wait for a permit, and is passed to <paramref name="func"/>. If it is already cancelled, no permit is taken.</param>
    /// <returns>The result of <paramref name="func"/>, or a task faulted with <see cref="BulkheadFullException"/> if no permit was free within the maximum wait.</returns>
    /// <remarks>Allocates nothing when a permit is free and <paramref name="func"/> completes synchronously and successfully.</remarks>
    [OverloadResolutionPriority(1)]
    public ValueTask<TResult> ExecuteAsync<TState, TResult>(Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<TResult>(cancellationToken);
        }

        if (!TryTakePermit(respectQueue: _fair) && Admit(out BulkheadWaiter? waiter) != Admission.Granted)
        {
            return waiter is null ? ValueTask.FromException<TResult>(Reject()) : WaitThenRunAsync(waiter, func, state, cancellationToken);
        }

        Publish(BulkheadEventType.CallPermitted);
        return Run(func, state, cancellationToken);
    }

    /// <summary>Runs <paramref name="func"/> once a permit is taken, waiting asynchronously up to the maximum wait for one, and gives the permit back when it completes.</summary>
    /// <param name="func">The call to protect; it receives <paramref name="cancellationToken"/>.</param>
    /// <param name="cancellationToken">Cancels the wait for a permit, and is passed to <paramref name="func"/>.</param>
    /// <returns>A task that completes with the call, or is faulted with <see cref="BulkheadFullException"/> if no permit was free within the maximum wait.</returns>
    [OverloadResolutionPriority(1)]
    public ValueTask ExecuteAsync(Func<CancellationToken, ValueTask> func, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        return ExecuteAsync(static (f, ct) => f(ct), func, cancellationToken);
    }

    /// <summary>Runs <paramref name="func"/> with <paramref name="state"/> once a permit is taken, waiting asynchronously up to the maximum wait for one.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <param name="func">The call to protect.</param>
    /// <param name="state">The state passed to <paramref name="func"/>.</param>
    /// <param name="cancellationToken">Cancels the wait for a permit, and is passed to <paramref name="func"/>. If it is already cancelled, no permit is taken.</param>
    /// <returns>A task that completes with the call, or is faulted with <see cref="BulkheadFullException"/> if no permit was free within the maximum wait.</returns>
    /// <remarks>Allocates nothing when a permit is free and <paramref name="func"/> completes synchronously and successfully.</remarks>
    [OverloadResolutionPriority(1)]
    public ValueTask ExecuteAsync<TState>(Func<TState, CancellationToken, ValueTask> func, TState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        if (!TryTakePermit(respectQueue: _fair) && Admit(out BulkheadWaiter? waiter) != Admission.Granted)
        {
            return waiter is null ? ValueTask.FromException(Reject()) : WaitThenRunAsync(waiter, func, state, cancellationToken);
        }

        Publish(BulkheadEventType.CallPermitted);
        return Run(func, state, cancellationToken);
    }

    private ValueTask<TResult> Run<TState, TResult>(Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken)
    {
        ValueTask<TResult> pending;
        try
        {
            pending = func(state, cancellationToken);
        }
#pragma warning disable CA1031 // The exception is handed back through the task, as an async method would.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            OnComplete();
            return ValueTask.FromException<TResult>(ex);
        }

        if (pending.IsCompletedSuccessfully)
        {
            TResult result = pending.Result;
            OnComplete();
            return new ValueTask<TResult>(result);
        }

        return CompleteAsync(pending);
    }

    private ValueTask Run<TState>(Func<TState, CancellationToken, ValueTask> func, TState state, CancellationToken cancellationToken)
    {
        ValueTask pending;
        try
        {
            pending = func(state, cancellationToken);
        }
#pragma warning disable CA1031 // The exception is handed back through the task, as an async method would.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            OnComplete();
            return ValueTask.FromException(ex);
        }

        if (pending.IsCompletedSuccessfully)
        {
            OnComplete();
            return default;
        }

        return CompleteAsync(pending);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<TResult> CompleteAsync<TResult>(ValueTask<TResult> pending)
    {
        try
        {
            return await pending.ConfigureAwait(false);
        }
        finally
        {
            OnComplete();
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask CompleteAsync(ValueTask pending)
    {
        try
        {
            await pending.ConfigureAwait(false);
        }
        finally
        {
            OnComplete();
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<TResult> WaitThenRunAsync<TState, TResult>(BulkheadWaiter waiter, Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken)
    {
        await WaitAsync(waiter, cancellationToken).ConfigureAwait(false);
        return await Run(func, state, cancellationToken).ConfigureAwait(false);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask WaitThenRunAsync<TState>(BulkheadWaiter waiter, Func<TState, CancellationToken, ValueTask> func, TState state, CancellationToken cancellationToken)
    {
        await WaitAsync(waiter, cancellationToken).ConfigureAwait(false);
        await Run(func, state, cancellationToken).ConfigureAwait(false);
    }
}
