namespace Resilience;

public sealed partial class Bulkhead
{
    /// <summary>Runs a <see cref="Task{TResult}"/>-returning <paramref name="func"/> once a permit is taken, waiting asynchronously up to the maximum wait for one, and gives the permit back when it completes.</summary>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="func">The call to protect; it receives <paramref name="cancellationToken"/>.</param>
    /// <param name="cancellationToken">Cancels the wait for a permit, and is passed to <paramref name="func"/>.</param>
    /// <returns>The result of <paramref name="func"/>, or a task faulted with <see cref="BulkheadFullException"/> if no permit was free within the maximum wait.</returns>
    public Task<TResult> ExecuteAsync<TResult>(Func<CancellationToken, Task<TResult>> func, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        return ExecuteAsync(static (f, ct) => f(ct), func, cancellationToken);
    }

    /// <summary>Runs a <see cref="Task{TResult}"/>-returning <paramref name="func"/> with <paramref name="state"/> once a permit is taken, waiting asynchronously up to the maximum wait for one.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="func">The call to protect.</param>
    /// <param name="state">The state passed to <paramref name="func"/>.</param>
    /// <param name="cancellationToken">Cancels the wait for a permit, and is passed to <paramref name="func"/>. If it is already cancelled, no permit is taken.</param>
    /// <returns>The result of <paramref name="func"/>, or a task faulted with <see cref="BulkheadFullException"/> if no permit was free within the maximum wait.</returns>
    public Task<TResult> ExecuteAsync<TState, TResult>(Func<TState, CancellationToken, Task<TResult>> func, TState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<TResult>(cancellationToken);
        }

        if (!TryTakePermit(respectQueue: _fair) && Admit(out BulkheadWaiter? waiter) != Admission.Granted)
        {
            return waiter is null ? Task.FromException<TResult>(Reject()) : WaitThenRunTaskAsync(waiter, func, state, cancellationToken);
        }

        Publish(BulkheadEventType.CallPermitted);
        return RunTask(func, state, cancellationToken);
    }

    /// <summary>Runs a <see cref="Task"/>-returning <paramref name="func"/> once a permit is taken, waiting asynchronously up to the maximum wait for one, and gives the permit back when it completes.</summary>
    /// <param name="func">The call to protect; it receives <paramref name="cancellationToken"/>.</param>
    /// <param name="cancellationToken">Cancels the wait for a permit, and is passed to <paramref name="func"/>.</param>
    /// <returns>A task that completes with the call, or is faulted with <see cref="BulkheadFullException"/> if no permit was free within the maximum wait.</returns>
    public Task ExecuteAsync(Func<CancellationToken, Task> func, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        return ExecuteAsync(static (f, ct) => f(ct), func, cancellationToken);
    }

    /// <summary>Runs a <see cref="Task"/>-returning <paramref name="func"/> with <paramref name="state"/> once a permit is taken, waiting asynchronously up to the maximum wait for one.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <param name="func">The call to protect.</param>
    /// <param name="state">The state passed to <paramref name="func"/>.</param>
    /// <param name="cancellationToken">Cancels the wait for a permit, and is passed to <paramref name="func"/>. If it is already cancelled, no permit is taken.</param>
    /// <returns>A task that completes with the call, or is faulted with <see cref="BulkheadFullException"/> if no permit was free within the maximum wait.</returns>
    public Task ExecuteAsync<TState>(Func<TState, CancellationToken, Task> func, TState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        if (!TryTakePermit(respectQueue: _fair) && Admit(out BulkheadWaiter? waiter) != Admission.Granted)
        {
            return waiter is null ? Task.FromException(Reject()) : WaitThenRunTaskAsync(waiter, func, state, cancellationToken);
        }

        Publish(BulkheadEventType.CallPermitted);
        return RunTask(func, state, cancellationToken);
    }

    private Task<TResult> RunTask<TState, TResult>(Func<TState, CancellationToken, Task<TResult>> func, TState state, CancellationToken cancellationToken)
    {
        Task<TResult> pending;
        try
        {
            pending = func(state, cancellationToken);
        }
#pragma warning disable CA1031 // The exception is handed back through the task, as an async method would.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            OnComplete();
            return Task.FromException<TResult>(ex);
        }

        if (pending.IsCompletedSuccessfully)
        {
            OnComplete();
            return pending;
        }

        return CompleteTaskAsync(pending);
    }

    private Task RunTask<TState>(Func<TState, CancellationToken, Task> func, TState state, CancellationToken cancellationToken)
    {
        Task pending;
        try
        {
            pending = func(state, cancellationToken);
        }
#pragma warning disable CA1031 // The exception is handed back through the task, as an async method would.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            OnComplete();
            return Task.FromException(ex);
        }

        if (pending.IsCompletedSuccessfully)
        {
            OnComplete();
            return pending;
        }

        return CompleteTaskAsync(pending);
    }

    private async Task<TResult> CompleteTaskAsync<TResult>(Task<TResult> pending)
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

    private async Task CompleteTaskAsync(Task pending)
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

    private async Task<TResult> WaitThenRunTaskAsync<TState, TResult>(BulkheadWaiter waiter, Func<TState, CancellationToken, Task<TResult>> func, TState state, CancellationToken cancellationToken)
    {
        await WaitAsync(waiter, cancellationToken).ConfigureAwait(false);
        return await RunTask(func, state, cancellationToken).ConfigureAwait(false);
    }

    private async Task WaitThenRunTaskAsync<TState>(BulkheadWaiter waiter, Func<TState, CancellationToken, Task> func, TState state, CancellationToken cancellationToken)
    {
        await WaitAsync(waiter, cancellationToken).ConfigureAwait(false);
        await RunTask(func, state, cancellationToken).ConfigureAwait(false);
    }
}
