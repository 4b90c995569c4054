using Resilience.Internal;

namespace Resilience;

public sealed partial class Retry
{
    /// <summary>Runs <paramref name="func"/> with <paramref name="state"/>, and runs it again after a wait while it fails with a retryable exception or result. Pass a static lambda to avoid a closure.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="func">The call to retry.</param>
    /// <param name="state">The state passed to <paramref name="func"/>, and to <see cref="RetryOptions.IntervalFunction"/> as <see cref="RetryIntervalArguments.State"/>.</param>
    /// <returns>The result of the last attempt.</returns>
    /// <exception cref="MaxRetriesExceededException">The last attempt returned a retryable result and <see cref="RetryOptions.FailAfterMaxAttempts"/> is set.</exception>
    /// <remarks>The waits block the calling thread. Any other exception is the one the last attempt threw. A first attempt that succeeds allocates nothing.</remarks>
    public TResult Execute<TState, TResult>(Func<TState, TResult> func, TState state)
    {
        ArgumentNullException.ThrowIfNull(func);
        long start = StartTimestamp();
        TResult result;
        try
        {
            result = func(state);
        }
        catch (Exception ex)
        {
            var call = new RetryContext(this, null, start);
            if (!call.OnException(ex, state, CancellationToken.None, out _))
            {
                throw;
            }

            call.Wait();
            return Retrying(func, state, ref call);
        }

        if (typeof(TResult) == typeof(VoidResult) || _resultPredicate is null)
        {
            // What RecordSuccess decides for a first attempt, without building the context on the hot path.
            Complete(RetryCallOutcome.Succeeded, 1);
            return result;
        }

        var context = new RetryContext(this, null, start);
        if (!context.OnResult(result, state, out _))
        {
            return result;
        }

        context.Wait();
        return Retrying(func, state, ref context);
    }

    /// <summary>The attempts after the first, each decided by <paramref name="call"/>.</summary>
    private static TResult Retrying<TState, TResult>(Func<TState, TResult> func, TState state, ref RetryContext call)
    {
        while (true)
        {
            TResult result;
            try
            {
                result = func(state);
            }
            catch (Exception ex)
            {
                if (!call.OnException(ex, state, CancellationToken.None, out _))
                {
                    throw;
                }

                call.Wait();
                continue;
            }

            if (!call.OnResult(result, state, out _))
            {
                return result;
            }

            call.Wait();
        }
    }
}
