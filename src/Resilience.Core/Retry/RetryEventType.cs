namespace Resilience;

/// <summary>The kinds of <see cref="RetryEvent"/>.</summary>
public enum RetryEventType
{
    /// <summary>An attempt failed and will be retried after <see cref="RetryEvent.WaitDuration"/>. Published once the wait has started.</summary>
    Retry = 0,

    /// <summary>The call gave up: the attempts are exhausted, or an interval function stopped the retries.</summary>
    Error = 1,

    /// <summary>The call succeeded after at least one retry. A first-attempt success publishes nothing.</summary>
    Success = 2,

    /// <summary>An attempt threw an exception that is not retried.</summary>
    IgnoredError = 3,
}
