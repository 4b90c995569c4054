namespace Resilience;

/// <summary>What a <see cref="RetryOptions.IntervalFunction"/> is told about the attempt that is about to be retried.</summary>
/// <remarks>Exactly one of <see cref="Exception"/> and <see cref="Result"/> describes the outcome: an attempt that returned a retryable result has a <see langword="null"/> exception.</remarks>
public readonly struct RetryIntervalArguments
{
    /// <summary>Initializes a new instance of the <see cref="RetryIntervalArguments"/> struct.</summary>
    /// <param name="attemptNumber">The number of the attempt that just failed, starting at 1.</param>
    /// <param name="exception">The exception the attempt threw, or <see langword="null"/> if it returned a retryable result.</param>
    /// <param name="result">The retryable result the attempt returned, boxed; <see langword="null"/> if it threw.</param>
    /// <param name="elapsed">The time since the call's first attempt started.</param>
    /// <param name="state">The state of the call, or <see langword="null"/>.</param>
    /// <param name="backoffWait">The wait the built-in backoff chose for this retry.</param>
    public RetryIntervalArguments(int attemptNumber, Exception? exception, object? result, TimeSpan elapsed = default, object? state = null, TimeSpan backoffWait = default)
    {
        AttemptNumber = attemptNumber;
        Exception = exception;
        Result = result;
        Elapsed = elapsed;
        State = state;
        BackoffWait = backoffWait;
    }

    /// <summary>Gets the number of the attempt that just failed, starting at 1. The wait comes before attempt <c>AttemptNumber + 1</c>.</summary>
    public int AttemptNumber { get; }

    /// <summary>Gets the exception the attempt threw, or <see langword="null"/> if it returned a retryable result.</summary>
    public Exception? Exception { get; }

    /// <summary>Gets the retryable result the attempt returned (boxed if it is a value type), or <see langword="null"/> if it threw.</summary>
    /// <remarks>The result is intact here: it is consumed (by default disposed) only after the function returns, before the wait.</remarks>
    public object? Result { get; }

    /// <summary>Gets the time since the call's first attempt started, on the retry's <see cref="TimeProvider"/>.</summary>
    /// <remarks>Useful to keep the retries of a call within a total budget: return a negative wait when <c>Elapsed + wait</c> would pass it.</remarks>
    public TimeSpan Elapsed { get; }

    /// <summary>Gets the state of the call: the state passed to <see cref="Retry.ExecuteAsync{TState, TResult}"/> or <see cref="Retry.Execute{TState, TResult}"/> (boxed if it is a value type), or to <see cref="Retry.BeginCall"/>.</summary>
    /// <remarks>
    /// A value-type state is boxed only here, on the retry path. Through a convenience overload or a composition,
    /// this is the state that layer passes to the retry, not necessarily the caller's own.
    /// </remarks>
    public object? State { get; }

    /// <summary>Gets the wait the built-in backoff (<see cref="RetryOptions.BackoffType"/>) chose for this retry, capped by <see cref="RetryOptions.MaxWaitDuration"/>: the wait used when the function returns <see langword="null"/>.</summary>
    /// <remarks>It is drawn before the function runs, so a randomised backoff moves on even when the function chooses another wait.</remarks>
    public TimeSpan BackoffWait { get; }
}
