namespace Resilience;

public sealed partial class Retry
{
    /// <summary>Runs a <see cref="Task{TResult}"/>-returning <paramref name="func"/>, and runs it again after a wait while it fails with a retryable exception or result.</summary>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="func">The call to retry; it receives <paramref name="cancellationToken"/>.</param>
    /// <param name="cancellationToken">The caller's token: it stops the retries, and a wait, at once.</param>
    /// <returns>The result of the last attempt.</returns>
    /// <exception cref="MaxRetriesExceededException">The last attempt returned a retryable result and <see cref="RetryOptions.FailAfterMaxAttempts"/> is set.</exception>
    /// <exception cref="OperationCanceledException">The caller's token was cancelled.</exception>
    public Task<TResult> ExecuteAsync<TResult>(Func<CancellationToken, Task<TResult>> func, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        return ExecuteAsync(static (f, ct) => f(ct), func, cancellationToken);
    }

    /// <summary>Runs a <see cref="Task{TResult}"/>-returning <paramref name="func"/> with <paramref name="state"/>, and runs it again after a wait while it fails with a retryable exception or result.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="func">The call to retry.</param>
    /// <param name="state">The state passed to <paramref name="func"/>.</param>
    /// <param name="cancellationToken">The caller's token: it stops the retries, and a wait, at once.</param>
    /// <returns>The result of the last attempt; the task of the first attempt itself when it succeeded at once and is not retried.</returns>
    /// <exception cref="MaxRetriesExceededException">The last attempt returned a retryable result and <see cref="RetryOptions.FailAfterMaxAttempts"/> is set.</exception>
    /// <exception cref="OperationCanceledException">The caller's token was cancelled.</exception>
    public Task<TResult> ExecuteAsync<TState, TResult>(Func<TState, CancellationToken, Task<TResult>> func, TState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<TResult>(cancellationToken);
        }

        Task<TResult> pending;
        try
        {
            pending = func(state, cancellationToken);
        }
#pragma warning disable CA1031 // The exception is handed to the retry loop through the task, as an async method would.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            pending = Task.FromException<TResult>(ex);
        }

        if (pending.IsCompletedSuccessfully && _resultPredicate is null)
        {
            Complete(CallEnd.Succeeded, 1);
            return pending;
        }

        return RetryAsync(
            static (s, ct) => new ValueTask<TResult>(s.func(s.state, ct)), (func, state), new ValueTask<TResult>(pending), cancellationToken).AsTask();
    }

    /// <summary>Runs a <see cref="Task"/>-returning <paramref name="func"/>, and runs it again after a wait while it throws a retryable exception.</summary>
    /// <param name="func">The call to retry; it receives <paramref name="cancellationToken"/>.</param>
    /// <param name="cancellationToken">The caller's token: it stops the retries, and a wait, at once.</param>
    /// <returns>A task that completes with the last attempt.</returns>
    /// <exception cref="OperationCanceledException">The caller's token was cancelled.</exception>
    public Task ExecuteAsync(Func<CancellationToken, Task> func, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        return ExecuteAsync(static (f, ct) => f(ct), func, cancellationToken);
    }

    /// <summary>Runs a <see cref="Task"/>-returning <paramref name="func"/> with <paramref name="state"/>, and runs it again after a wait while it throws a retryable exception.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <param name="func">The call to retry.</param>
    /// <param name="state">The state passed to <paramref name="func"/>.</param>
    /// <param name="cancellationToken">The caller's token: it stops the retries, and a wait, at once.</param>
    /// <returns>A task that completes with the last attempt; the task of the first attempt itself when it succeeded at once.</returns>
    /// <exception cref="OperationCanceledException">The caller's token was cancelled.</exception>
    public Task ExecuteAsync<TState>(Func<TState, CancellationToken, Task> func, TState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        Task pending;
        try
        {
            pending = func(state, cancellationToken);
        }
#pragma warning disable CA1031 // The exception is handed to the retry loop through the task, as an async method would.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            pending = Task.FromException(ex);
        }

        if (pending.IsCompletedSuccessfully)
        {
            Complete(CallEnd.Succeeded, 1);
            return pending;
        }

        return RetryAsync(
            static (s, ct) => new ValueTask(s.func(s.state, ct)), (func, state), new ValueTask(pending), cancellationToken).AsTask();
    }
}
