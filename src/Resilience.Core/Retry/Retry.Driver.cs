namespace Resilience;

public sealed partial class Retry
{
    /// <summary>Gets the number of attempts a call may make, the first included.</summary>
    /// <remarks>The members in this file let an integration that runs its own attempt loop, such as the HTTP retry handler, keep this retry's rules, metrics and events.</remarks>
    internal int MaxAttempts => _maxAttempts;

    /// <summary>Whether the retry and ignore rules retry <paramref name="exception"/>.</summary>
    internal bool IsRetryableException(Exception exception) => IsRetryable(exception);

    /// <summary>The wait before the attempt after <paramref name="attempt"/>, from the interval function or the backoff; false when the interval function said stop.</summary>
    internal bool TryGetWaitAfter(int attempt, Exception? exception, object? result, ref double jitterState, out TimeSpan wait) =>
        TryGetWait(attempt, exception, result, ref jitterState, out wait);

    /// <summary>Counts a finished call in the metrics.</summary>
    internal void EndCall(CallEnd end, int attempts) => Complete(end, attempts);

    /// <summary>Publishes an event if anyone listens.</summary>
    internal void PublishEvent(RetryEventType type, int attempt, TimeSpan wait, Exception? exception, object? result) =>
        Publish(type, attempt, wait, exception, result);
}
