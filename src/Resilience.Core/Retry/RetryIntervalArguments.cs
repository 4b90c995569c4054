namespace Resilience;

/// <summary>What a <see cref="RetryOptions.IntervalFunction"/> is told about the attempt that is about to be retried.</summary>
/// <remarks>Exactly one of <see cref="Exception"/> and <see cref="Result"/> describes the outcome: an attempt that returned a retryable result has a <see langword="null"/> exception.</remarks>
public readonly struct RetryIntervalArguments
{
    /// <summary>Initializes a new instance of the <see cref="RetryIntervalArguments"/> struct.</summary>
    /// <param name="attemptNumber">The number of the attempt that just failed, starting at 1.</param>
    /// <param name="exception">The exception the attempt threw, or <see langword="null"/> if it returned a retryable result.</param>
    /// <param name="result">The retryable result the attempt returned, boxed; <see langword="null"/> if it threw.</param>
    public RetryIntervalArguments(int attemptNumber, Exception? exception, object? result)
    {
        AttemptNumber = attemptNumber;
        Exception = exception;
        Result = result;
    }

    /// <summary>Gets the number of the attempt that just failed, starting at 1. The wait comes before attempt <c>AttemptNumber + 1</c>.</summary>
    public int AttemptNumber { get; }

    /// <summary>Gets the exception the attempt threw, or <see langword="null"/> if it returned a retryable result.</summary>
    public Exception? Exception { get; }

    /// <summary>Gets the retryable result the attempt returned (boxed if it is a value type), or <see langword="null"/> if it threw.</summary>
    /// <remarks>A result of type <see cref="IDisposable"/> is disposed after the function returns, before the wait.</remarks>
    public object? Result { get; }
}
