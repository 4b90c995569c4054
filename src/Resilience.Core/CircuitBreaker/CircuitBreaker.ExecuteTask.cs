namespace Resilience;

public sealed partial class CircuitBreaker
{
    /// <summary>Runs a <see cref="Task{TResult}"/>-returning <paramref name="func"/> if the breaker permits it, and records its outcome when it completes.</summary>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="func">The call to protect; it receives <paramref name="cancellationToken"/>.</param>
    /// <param name="cancellationToken">The caller's token. A cancellation it caused is not recorded; the permit is released.</param>
    /// <returns>The result of <paramref name="func"/>, or a task faulted with <see cref="CallNotPermittedException"/> if the call was refused.</returns>
    public Task<TResult> ExecuteAsync<TResult>(Func<CancellationToken, Task<TResult>> func, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        return ExecuteAsync(static (f, ct) => f(ct), func, cancellationToken);
    }

    /// <summary>Runs a <see cref="Task{TResult}"/>-returning <paramref name="func"/> with <paramref name="state"/> if the breaker permits it, and records its outcome when it completes.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="func">The call to protect.</param>
    /// <param name="state">The state passed to <paramref name="func"/>.</param>
    /// <param name="cancellationToken">The caller's token. A cancellation it caused is not recorded; the permit is released.</param>
    /// <returns>The result of <paramref name="func"/>, or a task faulted with <see cref="CallNotPermittedException"/> if the call was refused.</returns>
    public Task<TResult> ExecuteAsync<TState, TResult>(Func<TState, CancellationToken, Task<TResult>> func, TState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        if (!TryAcquire(out CallNotPermittedException? rejection))
        {
            return Task.FromException<TResult>(rejection);
        }

        long start = Now();
        Task<TResult> pending;
        try
        {
            pending = func(state, cancellationToken);
        }
#pragma warning disable CA1031 // The exception is recorded and handed back through the task, as an async method would.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            OnFailed(start, ex, cancellationToken);
            return Task.FromException<TResult>(ex);
        }

        if (pending.IsCompletedSuccessfully)
        {
            long end = Now();
            RecordResult(Elapsed(start, end), pending.Result, end);
            return pending;
        }

        return AwaitTaskAsync(pending, start, cancellationToken);
    }

    /// <summary>Runs a <see cref="Task"/>-returning <paramref name="func"/> if the breaker permits it, and records its outcome when it completes.</summary>
    /// <param name="func">The call to protect; it receives <paramref name="cancellationToken"/>.</param>
    /// <param name="cancellationToken">The caller's token. A cancellation it caused is not recorded; the permit is released.</param>
    /// <returns>A task that completes with the call, or is faulted with <see cref="CallNotPermittedException"/> if the call was refused.</returns>
    public Task ExecuteAsync(Func<CancellationToken, Task> func, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        return ExecuteAsync(static (f, ct) => f(ct), func, cancellationToken);
    }

    /// <summary>Runs a <see cref="Task"/>-returning <paramref name="func"/> with <paramref name="state"/> if the breaker permits it, and records its outcome when it completes.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <param name="func">The call to protect.</param>
    /// <param name="state">The state passed to <paramref name="func"/>.</param>
    /// <param name="cancellationToken">The caller's token. A cancellation it caused is not recorded; the permit is released.</param>
    /// <returns>A task that completes with the call, or is faulted with <see cref="CallNotPermittedException"/> if the call was refused.</returns>
    public Task ExecuteAsync<TState>(Func<TState, CancellationToken, Task> func, TState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        if (!TryAcquire(out CallNotPermittedException? rejection))
        {
            return Task.FromException(rejection);
        }

        long start = Now();
        Task pending;
        try
        {
            pending = func(state, cancellationToken);
        }
#pragma warning disable CA1031 // The exception is recorded and handed back through the task, as an async method would.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            OnFailed(start, ex, cancellationToken);
            return Task.FromException(ex);
        }

        if (pending.IsCompletedSuccessfully)
        {
            long end = Now();
            RecordSuccess(Elapsed(start, end), end);
            return pending;
        }

        return AwaitTaskAsync(pending, start, cancellationToken);
    }

    private async Task AwaitTaskAsync(Task pending, long start, CancellationToken cancellationToken)
    {
        try
        {
            await pending.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            OnFailed(start, ex, cancellationToken);
            throw;
        }

        long end = Now();
        RecordSuccess(Elapsed(start, end), end);
    }

    private async Task<TResult> AwaitTaskAsync<TResult>(Task<TResult> pending, long start, CancellationToken cancellationToken)
    {
        TResult result;
        try
        {
            result = await pending.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            OnFailed(start, ex, cancellationToken);
            throw;
        }

        long end = Now();
        RecordResult(Elapsed(start, end), result, end);
        return result;
    }
}
