using System.Globalization;

namespace Resilience;

/// <summary>The exception the caller gets when a <see cref="TimeLimiter"/> call runs longer than its timeout.</summary>
/// <remarks>
/// It derives from <see cref="TimeoutException"/>, not <see cref="ResilienceException"/>, so that code that already
/// handles timeouts handles it; <see cref="TimeLimiterName"/> plays the role of
/// <see cref="ResilienceException.InstanceName"/>. When the operation itself ended the call by throwing an
/// <see cref="OperationCanceledException"/> for the cancelled timeout token, that exception is the
/// <see cref="Exception.InnerException"/>.
/// </remarks>
public sealed class TimeLimiterTimeoutException : TimeoutException
{
    /// <summary>Initializes a new instance of the <see cref="TimeLimiterTimeoutException"/> class.</summary>
    /// <param name="timeLimiterName">The name of the time limiter that timed out.</param>
    /// <param name="timeout">The timeout that expired.</param>
    /// <param name="innerException">The exception the operation ended with because of the timeout, if any.</param>
    public TimeLimiterTimeoutException(string timeLimiterName, TimeSpan timeout, Exception? innerException = null)
        : base(CreateMessage(timeLimiterName, timeout), innerException)
    {
        TimeLimiterName = timeLimiterName;
        Timeout = timeout;
    }

    /// <summary>Gets the name of the time limiter that timed out.</summary>
    public string TimeLimiterName { get; }

    /// <summary>Gets the timeout that expired.</summary>
    public TimeSpan Timeout { get; }

    private static string CreateMessage(string name, TimeSpan timeout) =>
        string.Create(CultureInfo.InvariantCulture, $"Time limiter '{name}' timed out: the call did not complete within {timeout.TotalMilliseconds:0.###} ms.");
}
