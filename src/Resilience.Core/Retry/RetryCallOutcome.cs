namespace Resilience;

/// <summary>How a call through a <see cref="Retry"/> ended, as <see cref="RetryContext.Outcome"/> reports it.</summary>
/// <remarks>Together with <see cref="RetryContext.AttemptNumber"/> (1 means without retry) it names the counter of <see cref="RetryMetrics"/> the call was added to.</remarks>
public enum RetryCallOutcome
{
    /// <summary>The call has not ended: an attempt is running, or a wait is due.</summary>
    Pending = 0,

    /// <summary>The last attempt succeeded: it returned a result that is not retried, or nothing.</summary>
    Succeeded = 1,

    /// <summary>The call failed: an exception that is not retried, or the attempts ran out or an interval function stopped them (the last result is then returned, or <see cref="MaxRetriesExceededException"/> thrown).</summary>
    Failed = 2,

    /// <summary>The caller's token cancelled the call; it is counted in no call counter of <see cref="RetryMetrics"/>.</summary>
    Cancelled = 3,
}
