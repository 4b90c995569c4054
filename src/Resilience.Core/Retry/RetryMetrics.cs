namespace Resilience;

/// <summary>A snapshot of the counters of a <see cref="Retry"/>, from <see cref="Retry.GetMetrics"/>.</summary>
/// <remarks>
/// <para>A call counts as "with retry" when it made more than one attempt, whatever ended it. So a call that retried
/// and then threw a non-retryable exception is failed <b>with</b> retry, and with <see cref="RetryOptions.MaxAttempts"/>
/// = 1 a retryable failure is failed <b>without</b> retry (Resilience4j counts both the other way).</para>
/// <para>A call ended by its caller's cancellation is in none of the four call counters, but its attempts are in
/// <see cref="NumberOfTotalAttempts"/>. The counters are read one by one, so a snapshot taken while calls finish may
/// not add up exactly; once calls are quiet it does.</para>
/// </remarks>
public readonly struct RetryMetrics
{
    /// <summary>Gets the number of calls that succeeded on the first attempt.</summary>
    public long NumberOfSuccessfulCallsWithoutRetryAttempt { get; internal init; }

    /// <summary>Gets the number of calls that succeeded after at least one retry.</summary>
    public long NumberOfSuccessfulCallsWithRetryAttempt { get; internal init; }

    /// <summary>Gets the number of calls that failed after a single attempt: a non-retryable exception, or <see cref="RetryOptions.MaxAttempts"/> = 1.</summary>
    public long NumberOfFailedCallsWithoutRetryAttempt { get; internal init; }

    /// <summary>Gets the number of calls that failed after at least one retry: exhausted or stopped by an exception or a retryable result, or ended by a non-retryable exception.</summary>
    public long NumberOfFailedCallsWithRetryAttempt { get; internal init; }

    /// <summary>Gets the number of attempts made by all calls, each attempt counted once (Resilience4j's <c>numberOfTotalCalls</c>).</summary>
    public long NumberOfTotalAttempts { get; internal init; }
}
