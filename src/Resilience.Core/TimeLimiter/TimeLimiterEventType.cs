namespace Resilience;

/// <summary>The kinds of <see cref="TimeLimiterEvent"/>.</summary>
public enum TimeLimiterEventType
{
    /// <summary>The operation completed successfully within the timeout.</summary>
    Success = 0,

    /// <summary>The call timed out: the timeout expired first, or the operation ended with a cancellation caused by it.</summary>
    Timeout = 1,

    /// <summary>The operation failed within the timeout, with an exception that is neither a timeout nor the caller's cancellation.</summary>
    Error = 2,
}
