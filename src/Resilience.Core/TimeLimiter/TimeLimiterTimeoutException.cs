using System.Globalization;

namespace Resilience;

/// <summary>The exception the caller gets when a <see cref="TimeLimiter"/> call runs longer than its timeout.</summary>
/// <remarks>
/// <para>It is a <see cref="ResilienceRejectedException"/>, and <b>not</b> a <see cref="TimeoutException"/>: recognise a
/// time-out by this type (as the HTTP layer, the circuit breaker's defaults and the retry's defaults do), not by a
/// <c>catch (TimeoutException)</c>. Unlike the other rejections, a time-out is a failure of the dependency: a
/// circuit breaker records it and a retry retries it by default.</para>
/// <para>When the operation itself ended the call by throwing an <see cref="OperationCanceledException"/> for the
/// cancelled timeout token, that exception is the <see cref="Exception.InnerException"/>.</para>
/// </remarks>
public sealed class TimeLimiterTimeoutException : ResilienceRejectedException
{
    /// <summary>Initializes a new instance of the <see cref="TimeLimiterTimeoutException"/> class.</summary>
    /// <param name="timeLimiterName">The name of the time limiter that timed out.</param>
    /// <param name="timeout">The timeout that expired.</param>
    /// <param name="innerException">The exception the operation ended with because of the timeout, if any.</param>
    public TimeLimiterTimeoutException(string timeLimiterName, TimeSpan timeout, Exception? innerException = null)
        : base(timeLimiterName, CreateMessage(timeLimiterName, timeout), innerException) => Timeout = timeout;

    /// <summary>Gets the name of the time limiter that timed out.</summary>
    public string TimeLimiterName => InstanceName;

    /// <summary>Gets the timeout that expired.</summary>
    public TimeSpan Timeout { get; }

    private static string CreateMessage(string name, TimeSpan timeout) =>
        string.Create(CultureInfo.InvariantCulture, $"Time limiter '{name}' timed out: the call did not complete within {timeout.TotalMilliseconds:0.###} ms.");
}
