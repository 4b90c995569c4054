namespace Resilience;

public sealed partial class RequestRateLimiter
{
    /// <summary>Acquires one permit, waiting asynchronously up to <see cref="TimeoutDuration"/>, then runs a <see cref="Task{TResult}"/>-returning <paramref name="func"/>.</summary>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="func">The call to limit; it receives <paramref name="cancellationToken"/>.</param>
    /// <param name="cancellationToken">Cancels the wait for a reservation (its permits are given back) and is passed to <paramref name="func"/>.</param>
    /// <returns>The result of <paramref name="func"/>, or a task faulted with <see cref="RequestNotPermittedException"/> at once if no permit can be had within the timeout.</returns>
    public Task<TResult> ExecuteAsync<TResult>(Func<CancellationToken, Task<TResult>> func, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        return ExecuteAsync(static (f, ct) => f(ct), func, cancellationToken);
    }

    /// <summary>Acquires one permit, waiting asynchronously up to <see cref="TimeoutDuration"/>, then runs a <see cref="Task{TResult}"/>-returning <paramref name="func"/> with <paramref name="state"/>.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="func">The call to limit.</param>
    /// <param name="state">The state passed to <paramref name="func"/>.</param>
    /// <param name="cancellationToken">Cancels the wait for a reservation (its permits are given back) and is passed to <paramref name="func"/>.</param>
    /// <returns>The result of <paramref name="func"/>, or a task faulted with <see cref="RequestNotPermittedException"/> at once if no permit can be had within the timeout.</returns>
    public Task<TResult> ExecuteAsync<TState, TResult>(Func<TState, CancellationToken, Task<TResult>> func, TState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        switch (Reserve(1, mayWait: true, out long waitTicks, out Ticket ticket))
        {
            case Grant.Refused:
                return Task.FromException<TResult>(Refuse(1, waitTicks));
            case Grant.Reserved:
                return WaitThenRunTaskAsync(func, state, waitTicks, ticket, cancellationToken);
            default:
                Publish(RequestRateLimiterEventType.SuccessfulAcquire, 1);
                return RunTask(func, state, cancellationToken);
        }
    }

    /// <summary>Acquires one permit, waiting asynchronously up to <see cref="TimeoutDuration"/>, then runs a <see cref="Task"/>-returning <paramref name="func"/>.</summary>
    /// <param name="func">The call to limit; it receives <paramref name="cancellationToken"/>.</param>
    /// <param name="cancellationToken">Cancels the wait for a reservation (its permits are given back) and is passed to <paramref name="func"/>.</param>
    /// <returns>A task that completes with the call, or is faulted with <see cref="RequestNotPermittedException"/> at once if no permit can be had within the timeout.</returns>
    public Task ExecuteAsync(Func<CancellationToken, Task> func, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        return ExecuteAsync(static (f, ct) => f(ct), func, cancellationToken);
    }

    /// <summary>Acquires one permit, waiting asynchronously up to <see cref="TimeoutDuration"/>, then runs a <see cref="Task"/>-returning <paramref name="func"/> with <paramref name="state"/>.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <param name="func">The call to limit.</param>
    /// <param name="state">The state passed to <paramref name="func"/>.</param>
    /// <param name="cancellationToken">Cancels the wait for a reservation (its permits are given back) and is passed to <paramref name="func"/>.</param>
    /// <returns>A task that completes with the call, or is faulted with <see cref="RequestNotPermittedException"/> at once if no permit can be had within the timeout.</returns>
    public Task ExecuteAsync<TState>(Func<TState, CancellationToken, Task> func, TState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        switch (Reserve(1, mayWait: true, out long waitTicks, out Ticket ticket))
        {
            case Grant.Refused:
                return Task.FromException(Refuse(1, waitTicks));
            case Grant.Reserved:
                return WaitThenRunTaskAsync(func, state, waitTicks, ticket, cancellationToken);
            default:
                Publish(RequestRateLimiterEventType.SuccessfulAcquire, 1);
                return RunTask(func, state, cancellationToken);
        }
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
            DrainIfNeeded(null, ex);
            return Task.FromException<TResult>(ex);
        }

        return _drainPredicate is null ? pending : DrainAfterTaskAsync(pending);
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
            DrainIfNeeded(null, ex);
            return Task.FromException(ex);
        }

        return _drainPredicate is null ? pending : DrainAfterTaskAsync(pending);
    }

    private async Task<TResult> WaitThenRunTaskAsync<TState, TResult>(Func<TState, CancellationToken, Task<TResult>> func, TState state, long waitTicks, Ticket ticket, CancellationToken cancellationToken)
    {
        await WaitForReservationAsync(1, waitTicks, ticket, cancellationToken).ConfigureAwait(false);
        return await RunTask(func, state, cancellationToken).ConfigureAwait(false);
    }

    private async Task WaitThenRunTaskAsync<TState>(Func<TState, CancellationToken, Task> func, TState state, long waitTicks, Ticket ticket, CancellationToken cancellationToken)
    {
        await WaitForReservationAsync(1, waitTicks, ticket, cancellationToken).ConfigureAwait(false);
        await RunTask(func, state, cancellationToken).ConfigureAwait(false);
    }

    private async Task<TResult> DrainAfterTaskAsync<TResult>(Task<TResult> pending)
    {
        TResult result;
        try
        {
            result = await pending.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            DrainIfNeeded(null, ex);
            throw;
        }

        DrainIfNeeded(result, null);
        return result;
    }

    private async Task DrainAfterTaskAsync(Task pending)
    {
        try
        {
            await pending.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            DrainIfNeeded(null, ex);
            throw;
        }

        DrainIfNeeded(null, null);
    }
}
