using System.Diagnostics;
using Resilience.Internal;

namespace Resilience;

public sealed partial class Retry
{
    internal enum CallEnd
    {
        Succeeded,
        Failed,
        Cancelled,
    }

    private enum ResultDecision
    {
        /// <summary>Return the result to the caller.</summary>
        Return,

        /// <summary>Wait, then make another attempt.</summary>
        Retry,

        /// <summary>Dispose the result and throw <see cref="MaxRetriesExceededException"/>.</summary>
        Fail,
    }

    /// <summary>Decides about an attempt that threw. Returns <see langword="true"/> to retry after <paramref name="wait"/>; otherwise the call is over and the caller rethrows.</summary>
    private bool ShouldRetry(Exception exception, ref CallState call, CancellationToken cancellationToken, out TimeSpan wait)
    {
        int attempt = call.Attempt;
        if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            wait = TimeSpan.Zero;
            Complete(CallEnd.Cancelled, attempt);
            return false;
        }

        if (!IsRetryable(exception))
        {
            wait = TimeSpan.Zero;
            Complete(CallEnd.Failed, attempt);
            Publish(RetryEventType.IgnoredError, attempt, TimeSpan.Zero, exception, null);
            return false;
        }

        if (attempt >= _maxAttempts || !TryGetWait(attempt, exception, null, ref call.JitterState, out wait))
        {
            wait = TimeSpan.Zero;
            Complete(CallEnd.Failed, attempt);
            Publish(RetryEventType.Error, attempt, TimeSpan.Zero, exception, null);
            return false;
        }

        call.LastException = exception;
        return true;
    }

    /// <summary>Decides about an attempt that returned. <paramref name="retried"/> is the boxed result when it is retryable.</summary>
    private ResultDecision Decide<TResult>(TResult result, ref CallState call, out TimeSpan wait, out object? retried)
    {
        int attempt = call.Attempt;
        retried = null;
        if (typeof(TResult) == typeof(VoidResult) || _resultPredicate is null || !_resultPredicate(retried = result))
        {
            wait = TimeSpan.Zero;
            retried = null;
            OnSuccess(ref call);
            return ResultDecision.Return;
        }

        if (attempt < _maxAttempts && TryGetWait(attempt, null, retried, ref call.JitterState, out wait))
        {
            return ResultDecision.Retry;
        }

        wait = TimeSpan.Zero;
        Complete(CallEnd.Failed, attempt);
        Publish(RetryEventType.Error, attempt, TimeSpan.Zero, null, retried);
        return _failAfterMaxAttempts ? ResultDecision.Fail : ResultDecision.Return;
    }

    private void OnSuccess(ref CallState call)
    {
        Complete(CallEnd.Succeeded, call.Attempt);
        if (call.Attempt > 1)
        {
            Publish(RetryEventType.Success, call.Attempt, TimeSpan.Zero, call.LastException, null);
        }
    }

    /// <summary>Counts a finished call: one call counter (none if cancelled) and its attempts.</summary>
    private void Complete(CallEnd end, int attempts)
    {
        Debug.Assert(attempts >= 1 && attempts <= _maxAttempts, "a call makes 1 to MaxAttempts attempts");
        if (attempts == 1 && end == CallEnd.Succeeded)
        {
            Interlocked.Increment(ref _successfulWithoutRetry.Value);
            return;
        }

        Interlocked.Add(ref _attemptsOfOtherCalls, attempts);
        switch (end)
        {
            case CallEnd.Succeeded:
                Interlocked.Increment(ref _successfulWithRetry);
                break;
            case CallEnd.Failed:
                Interlocked.Increment(ref attempts == 1 ? ref _failedWithoutRetry : ref _failedWithRetry);
                break;
            default:
                break; // a cancelled call is neither a success nor a failure
        }
    }

    /// <summary>Waits synchronously: arms a timer, publishes the retry event, disposes the retried result, then blocks.</summary>
    private void Pause(TimeSpan wait, int attempt, Exception? exception, object? retried)
    {
        if (wait <= TimeSpan.Zero)
        {
            Publish(RetryEventType.Retry, attempt, wait, exception, retried);
            DisposeResult(retried);
            return;
        }

        using var signal = new ManualResetEventSlim();
        using ITimer timer = _timeProvider.CreateTimer(static s => ((ManualResetEventSlim)s!).Set(), signal, wait, Timeout.InfiniteTimeSpan);
        Publish(RetryEventType.Retry, attempt, wait, exception, retried);
        DisposeResult(retried);
        signal.Wait();
    }

    /// <summary>Waits asynchronously, as <see cref="Pause"/> does; a cancellation ends the call with the caller's token.</summary>
    private async ValueTask PauseAsync(TimeSpan wait, int attempt, Exception? exception, object? retried, CancellationToken cancellationToken)
    {
        Task delay = wait > TimeSpan.Zero ? Task.Delay(wait, _timeProvider, cancellationToken) : Task.CompletedTask;
        Publish(RetryEventType.Retry, attempt, wait, exception, retried);
        await DisposeResultAsync(retried).ConfigureAwait(false);
        try
        {
            await delay.ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Complete(CallEnd.Cancelled, attempt);
            throw;
        }
    }

    private static void DisposeResult(object? retried) => (retried as IDisposable)?.Dispose();

    private static async ValueTask DisposeResultAsync(object? retried)
    {
        if (retried is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            DisposeResult(retried);
        }
    }

    /// <summary>The state of one execution, kept in a local so that concurrent calls never share it.</summary>
    private struct CallState
    {
        /// <summary>The number of the current attempt, from 1.</summary>
        public int Attempt;

        /// <summary>The state of <see cref="RetryBackoffType.DecorrelatedJitter"/>, carried from one attempt to the next.</summary>
        public double JitterState;

        /// <summary>The last exception that was retried, reported with the success event.</summary>
        public Exception? LastException;

        public CallState() => Attempt = 1;
    }
}
