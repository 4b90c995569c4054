using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Resilience;

public sealed partial class Retry
{
    /// <summary>Counts a finished call: one call counter (none if cancelled) and its attempts.</summary>
    internal void Complete(RetryCallOutcome outcome, int attempts)
    {
        Debug.Assert(attempts >= 1 && attempts <= _maxAttempts, "a call makes 1 to MaxAttempts attempts");
        Debug.Assert(outcome != RetryCallOutcome.Pending, "only a finished call is counted");
        if (attempts == 1 && outcome == RetryCallOutcome.Succeeded)
        {
            Interlocked.Increment(ref _successfulWithoutRetry.Value);
            return;
        }

        Interlocked.Add(ref _attemptsOfOtherCalls, attempts);
        switch (outcome)
        {
            case RetryCallOutcome.Succeeded:
                Interlocked.Increment(ref _successfulWithRetry);
                break;
            case RetryCallOutcome.Failed:
                Interlocked.Increment(ref attempts == 1 ? ref _failedWithoutRetry : ref _failedWithRetry);
                break;
            default:
                break; // a cancelled call is neither a success nor a failure
        }
    }

    /// <summary>Hands a result that the caller will never see to <see cref="RetryOptions.ConsumeResultBeforeRetryAttempt"/>.</summary>
    internal void Consume(int attempt, object? retried) => _consume?.Invoke(attempt, retried);

    /// <summary>Waits synchronously: arms a timer, publishes the retry event, consumes the retried result, then blocks.</summary>
    /// <remarks>A cancellation by <paramref name="cancellationToken"/> counts the call as cancelled and throws.</remarks>
    internal void Pause(TimeSpan wait, int attempt, Exception? exception, object? retried, CancellationToken cancellationToken)
    {
        if (wait <= TimeSpan.Zero)
        {
            Publish(RetryEventType.Retry, attempt, wait, exception, retried);
            Consume(attempt, retried);
            if (cancellationToken.IsCancellationRequested)
            {
                Complete(RetryCallOutcome.Cancelled, attempt);
                throw new OperationCanceledException(cancellationToken);
            }

            return;
        }

        using var signal = new ManualResetEventSlim();
        using ITimer timer = _timeProvider.CreateTimer(static s => ((ManualResetEventSlim)s!).Set(), signal, wait, Timeout.InfiniteTimeSpan);
        Publish(RetryEventType.Retry, attempt, wait, exception, retried);
        Consume(attempt, retried);
        try
        {
            signal.Wait(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Complete(RetryCallOutcome.Cancelled, attempt);
            throw;
        }
    }

    /// <summary>Waits asynchronously, as <see cref="Pause"/> does; a cancellation ends the call with the caller's token.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    internal async ValueTask PauseAsync(TimeSpan wait, int attempt, Exception? exception, object? retried, CancellationToken cancellationToken)
    {
        Task delay = wait > TimeSpan.Zero ? Task.Delay(wait, _timeProvider, cancellationToken) : Task.CompletedTask;
        Publish(RetryEventType.Retry, attempt, wait, exception, retried);
        if (ReferenceEquals(_consume, RetryConstants.DisposeResult) && retried is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            Consume(attempt, retried);
        }

        try
        {
            await delay.ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Complete(RetryCallOutcome.Cancelled, attempt);
            throw;
        }
    }
}
