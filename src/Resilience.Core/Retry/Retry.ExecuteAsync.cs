using System.Runtime.CompilerServices;
using Resilience.Internal;

namespace Resilience;

public sealed partial class Retry
{
    /// <summary>Runs <paramref name="func"/> with <paramref name="state"/>, and runs it again after a wait while it fails with a retryable exception or result. Pass a static lambda to avoid a closure.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="func">The call to retry.</param>
    /// <param name="state">The state passed to <paramref name="func"/>, and to <see cref="RetryOptions.IntervalFunction"/> as <see cref="RetryIntervalArguments.State"/>.</param>
    /// <param name="cancellationToken">The caller's token: it stops the retries, and a wait, at once.</param>
    /// <returns>The result of the last attempt.</returns>
    /// <exception cref="MaxRetriesExceededException">The last attempt returned a retryable result and <see cref="RetryOptions.FailAfterMaxAttempts"/> is set.</exception>
    /// <exception cref="OperationCanceledException">The caller's token was cancelled.</exception>
    /// <remarks>
    /// A caller token that is already cancelled gives a cancelled task without calling <paramref name="func"/> or counting
    /// anything. A first attempt that completes synchronously and is not retried allocates nothing and is returned as it is.
    /// </remarks>
    public ValueTask<TResult> ExecuteAsync<TState, TResult>(Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        return RunAsync<DelegateOperation<TState, TResult>, TState, TResult>(new(func), state, cancellationToken);
    }

    /// <summary>The asynchronous core: every asynchronous call of this retry, direct or composed, runs here.</summary>
    /// <remarks>Never inlined, so that its result reaches the caller in registers (see <see cref="GuardedCall"/>).</remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal ValueTask<TResult> RunAsync<TOperation, TState, TResult>(TOperation operation, TState state, CancellationToken cancellationToken)
        where TOperation : struct, IAsyncOperation<TState, TResult>
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<TResult>(cancellationToken);
        }

        long start = StartTimestamp();
        GuardedCall.Invoke(operation, state, cancellationToken, out ValueTask<TResult> pending);
        if (pending.IsCompletedSuccessfully && (typeof(TResult) == typeof(VoidResult) || _resultPredicate is null))
        {
            // What RecordSuccess decides for a first attempt, without building the context on the hot path.
            Complete(RetryCallOutcome.Succeeded, 1);
            return pending;
        }

        return RetryAsync(operation, state, pending, new RetryContext(this, null, start), cancellationToken);
    }

    /// <summary>The slow path: awaits the pending attempt, then retries while <paramref name="call"/> says so.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<TResult> RetryAsync<TOperation, TState, TResult>(
        TOperation operation, TState state, ValueTask<TResult> pending, RetryContext call, CancellationToken cancellationToken)
        where TOperation : struct, IAsyncOperation<TState, TResult>
    {
        while (true)
        {
            TResult result;
            try
            {
                result = await pending.ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                if (!call.OnException(ex, state, cancellationToken, out _))
                {
                    throw;
                }

                await call.WaitAsync(cancellationToken).ConfigureAwait(false);
                GuardedCall.Invoke(operation, state, cancellationToken, out pending);
                continue;
            }

            if (!call.OnResult(result, state, out _))
            {
                return result;
            }

            await call.WaitAsync(cancellationToken).ConfigureAwait(false);
            GuardedCall.Invoke(operation, state, cancellationToken, out pending);
        }
    }
}
