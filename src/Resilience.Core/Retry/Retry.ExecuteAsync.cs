using System.Runtime.CompilerServices;

namespace Resilience;

public sealed partial class Retry
{
    /// <summary>Runs <paramref name="func"/>, and runs it again after a wait while it fails with a retryable exception or result.</summary>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="func">The call to retry; it receives <paramref name="cancellationToken"/>.</param>
    /// <param name="cancellationToken">The caller's token: it stops the retries, and a wait, at once.</param>
    /// <returns>The result of the last attempt.</returns>
    /// <exception cref="MaxRetriesExceededException">The last attempt returned a retryable result and <see cref="RetryOptions.FailAfterMaxAttempts"/> is set.</exception>
    /// <exception cref="OperationCanceledException">The caller's token was cancelled.</exception>
    [OverloadResolutionPriority(1)]
    public ValueTask<TResult> ExecuteAsync<TResult>(Func<CancellationToken, ValueTask<TResult>> func, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        return ExecuteAsync(static (f, ct) => f(ct), func, cancellationToken);
    }

    /// <summary>Runs <paramref name="func"/> with <paramref name="state"/>, and runs it again after a wait while it fails with a retryable exception or result. Pass a static lambda to avoid a closure.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="func">The call to retry.</param>
    /// <param name="state">The state passed to <paramref name="func"/>.</param>
    /// <param name="cancellationToken">The caller's token: it stops the retries, and a wait, at once.</param>
    /// <returns>The result of the last attempt.</returns>
    /// <exception cref="MaxRetriesExceededException">The last attempt returned a retryable result and <see cref="RetryOptions.FailAfterMaxAttempts"/> is set.</exception>
    /// <exception cref="OperationCanceledException">The caller's token was cancelled.</exception>
    /// <remarks>A first attempt that completes synchronously and is not retried allocates nothing.</remarks>
    [OverloadResolutionPriority(1)]
    public ValueTask<TResult> ExecuteAsync<TState, TResult>(Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<TResult>(cancellationToken);
        }

        ValueTask<TResult> pending = Invoke(func, state, cancellationToken);
        if (pending.IsCompletedSuccessfully && _resultPredicate is null)
        {
            TResult result = pending.Result;
            Complete(CallEnd.Succeeded, 1);
            return new ValueTask<TResult>(result);
        }

        return RetryAsync(func, state, pending, cancellationToken);
    }

    /// <summary>Runs <paramref name="func"/>, and runs it again after a wait while it throws a retryable exception.</summary>
    /// <param name="func">The call to retry; it receives <paramref name="cancellationToken"/>.</param>
    /// <param name="cancellationToken">The caller's token: it stops the retries, and a wait, at once.</param>
    /// <returns>A task that completes with the last attempt.</returns>
    /// <exception cref="OperationCanceledException">The caller's token was cancelled.</exception>
    [OverloadResolutionPriority(1)]
    public ValueTask ExecuteAsync(Func<CancellationToken, ValueTask> func, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        return ExecuteAsync(static (f, ct) => f(ct), func, cancellationToken);
    }

    /// <summary>Runs <paramref name="func"/> with <paramref name="state"/>, and runs it again after a wait while it throws a retryable exception.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <param name="func">The call to retry.</param>
    /// <param name="state">The state passed to <paramref name="func"/>.</param>
    /// <param name="cancellationToken">The caller's token: it stops the retries, and a wait, at once.</param>
    /// <returns>A task that completes with the last attempt.</returns>
    /// <exception cref="OperationCanceledException">The caller's token was cancelled.</exception>
    /// <remarks>A first attempt that completes synchronously allocates nothing.</remarks>
    [OverloadResolutionPriority(1)]
    public ValueTask ExecuteAsync<TState>(Func<TState, CancellationToken, ValueTask> func, TState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        ValueTask pending = Invoke(func, state, cancellationToken);
        if (pending.IsCompletedSuccessfully)
        {
            pending.GetAwaiter().GetResult(); // releases a pooled source
            Complete(CallEnd.Succeeded, 1);
            return default;
        }

        return RetryAsync(func, state, pending, cancellationToken);
    }

    /// <summary>The slow path: awaits the pending attempt, then retries until the call is decided.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<TResult> RetryAsync<TState, TResult>(
        Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, ValueTask<TResult> pending, CancellationToken cancellationToken)
    {
        var call = new CallState();
        while (true)
        {
            TResult result;
            try
            {
                result = await pending.ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                if (!ShouldRetry(ex, ref call, cancellationToken, out TimeSpan afterException))
                {
                    throw;
                }

                await PauseAsync(afterException, call.Attempt, ex, null, cancellationToken).ConfigureAwait(false);
                call.Attempt++;
                pending = Invoke(func, state, cancellationToken);
                continue;
            }

            switch (Decide(result, ref call, out TimeSpan wait, out object? retried))
            {
                case ResultDecision.Return:
                    return result;
                case ResultDecision.Fail:
                    await DisposeResultAsync(retried).ConfigureAwait(false);
                    throw new MaxRetriesExceededException(Name, call.Attempt);
                default:
                    await PauseAsync(wait, call.Attempt, null, retried, cancellationToken).ConfigureAwait(false);
                    call.Attempt++;
                    pending = Invoke(func, state, cancellationToken);
                    break;
            }
        }
    }

    /// <summary>The slow path of the overloads without a result.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask RetryAsync<TState>(
        Func<TState, CancellationToken, ValueTask> func, TState state, ValueTask pending, CancellationToken cancellationToken)
    {
        var call = new CallState();
        while (true)
        {
            try
            {
                await pending.ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                if (!ShouldRetry(ex, ref call, cancellationToken, out TimeSpan wait))
                {
                    throw;
                }

                await PauseAsync(wait, call.Attempt, ex, null, cancellationToken).ConfigureAwait(false);
                call.Attempt++;
                pending = Invoke(func, state, cancellationToken);
                continue;
            }

            OnSuccess(ref call);
            return;
        }
    }

    private static ValueTask<TResult> Invoke<TState, TResult>(Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken)
    {
        try
        {
            return func(state, cancellationToken);
        }
#pragma warning disable CA1031 // The exception is handed to the retry loop through the task, as an async method would.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return ValueTask.FromException<TResult>(ex);
        }
    }

    private static ValueTask Invoke<TState>(Func<TState, CancellationToken, ValueTask> func, TState state, CancellationToken cancellationToken)
    {
        try
        {
            return func(state, cancellationToken);
        }
#pragma warning disable CA1031 // The exception is handed to the retry loop through the task, as an async method would.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return ValueTask.FromException(ex);
        }
    }
}
