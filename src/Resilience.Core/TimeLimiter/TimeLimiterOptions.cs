namespace Resilience;

/// <summary>The settings of a <see cref="TimeLimiter"/>. Every property has the default of Resilience4j.</summary>
/// <remarks>
/// A time limiter copies its options when it is built and validates them then: changing an options object later has
/// no effect on limiters already built from it. An invalid value makes the constructor throw an
/// <see cref="ArgumentOutOfRangeException"/> whose message names the option, the value and the valid range.
/// </remarks>
public sealed class TimeLimiterOptions
{
    /// <summary>Gets or sets how long a call may run before the caller gets a <see cref="TimeLimiterTimeoutException"/>.</summary>
    /// <value>
    /// The default value is 1 second. Valid values are 1 ms to about 49.7 days, or <see cref="Timeout.InfiniteTimeSpan"/>,
    /// which disables the timeout (no timer is armed; caller cancellation and events still work).
    /// </value>
    /// <remarks>
    /// Resilience4j accepts zero; here zero is rejected, because a zero timer fires on another thread at once and
    /// would time out every call that does not complete synchronously, at random.
    /// </remarks>
    public TimeSpan TimeoutDuration { get; set; } = TimeLimiterConstants.DefaultTimeoutDuration;

    /// <summary>Gets or sets whether the token passed to the operation is cancelled when the call times out.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    /// <remarks>
    /// Either way the caller gets the <see cref="TimeLimiterTimeoutException"/> on time. With <see langword="false"/>
    /// the operation keeps running with a token that is cancelled only if the caller's own token is cancelled.
    /// </remarks>
    public bool CancelRunningTask { get; set; } = TimeLimiterConstants.DefaultCancelRunningTask;

    /// <summary>Returns a copy; the options hold no lists, so a shallow copy is deep.</summary>
    internal TimeLimiterOptions Clone() => (TimeLimiterOptions)MemberwiseClone();

    /// <summary>Checks every option against its valid range, as the primitive's constructor does.</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names the option, the value and the valid range.</exception>
    /// <remarks>Front-ends that bind options (configuration, DI) call it to report a bad value before anything is built.</remarks>
    public void Validate() => TimeLimiterOptionsValidator.Validate(this);
}
