using Resilience.Internal;
namespace Resilience;

public sealed partial class Retry
{
    /// <summary>Runs <paramref name="func"/>, and runs it again after a wait while it fails with a retryable exception or result.</summary>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="func">The call to retry.</param>
    /// <returns>The result of the last attempt.</returns>
    /// <exception cref="MaxRetriesExceededException">The last attempt returned a retryable result and <see cref="RetryOptions.FailAfterMaxAttempts"/> is set.</exception>
    /// <remarks>The waits block the calling thread. Any other exception is the one the last attempt threw.</remarks>
    public TResult Execute<TResult>(Func<TResult> func)
    {
        ArgumentNullException.ThrowIfNull(func);
        return Execute(static f => f(), func);
    }

    /// <summary>Runs <paramref name="func"/> with <paramref name="state"/>, and runs it again after a wait while it fails with a retryable exception or result. Pass a static lambda to avoid a closure.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="func">The call to retry.</param>
    /// <param name="state">The state passed to <paramref name="func"/>.</param>
    /// <returns>The result of the last attempt.</returns>
    /// <exception cref="MaxRetriesExceededException">The last attempt returned a retryable result and <see cref="RetryOptions.FailAfterMaxAttempts"/> is set.</exception>
    /// <remarks>The waits block the calling thread. Any other exception is the one the last attempt threw.</remarks>
    public TResult Execute<TState, TResult>(Func<TState, TResult> func, TState state)
    {
        ArgumentNullException.ThrowIfNull(func);
        var call = new CallState();
        while (true)
        {
            TResult result;
            try
            {
                result = func(state);
            }
            catch (Exception ex)
            {
                if (!ShouldRetry(ex, ref call, CancellationToken.None, out TimeSpan afterException))
                {
                    throw;
                }

                Pause(afterException, call.Attempt, ex, null);
                call.Attempt++;
                continue;
            }

            switch (Decide(result, ref call, out TimeSpan wait, out object? retried))
            {
                case ResultDecision.Return:
                    return result;
                case ResultDecision.Fail:
                    DisposeResult(retried);
                    throw new MaxRetriesExceededException(Name, call.Attempt);
                default:
                    Pause(wait, call.Attempt, null, retried);
                    call.Attempt++;
                    break;
            }
        }
    }

    /// <summary>Runs <paramref name="action"/>, and runs it again after a wait while it throws a retryable exception.</summary>
    /// <param name="action">The call to retry.</param>
    /// <remarks>The waits block the calling thread. An exception is the one the last attempt threw.</remarks>
    public void Execute(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Execute(static a => { a(); return default(VoidResult); }, action);
    }

    /// <summary>Runs <paramref name="action"/> with <paramref name="state"/>, and runs it again after a wait while it throws a retryable exception.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <param name="action">The call to retry.</param>
    /// <param name="state">The state passed to <paramref name="action"/>.</param>
    /// <remarks>The waits block the calling thread. An exception is the one the last attempt threw.</remarks>
    public void Execute<TState>(Action<TState> action, TState state)
    {
        ArgumentNullException.ThrowIfNull(action);
        Execute(static s => { s.action(s.state); return default(VoidResult); }, (action, state));
    }
}
