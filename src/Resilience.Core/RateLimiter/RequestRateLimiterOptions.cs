namespace Resilience;

/// <summary>The settings of a <see cref="RequestRateLimiter"/>. Every property has the default of Resilience4j.</summary>
/// <remarks>
/// A limiter copies its options when it is built and validates them then: changing an options object later has no
/// effect on limiters already built from it (use <see cref="RequestRateLimiter.ChangeLimitForPeriod"/> and
/// <see cref="RequestRateLimiter.ChangeTimeoutDuration"/> instead). An invalid value makes the constructor throw an
/// <see cref="ArgumentException"/> whose message names the option, the value and the valid range.
/// </remarks>
public sealed class RequestRateLimiterOptions
{
    /// <summary>Gets or sets the number of permits granted in each refresh period.</summary>
    /// <value>The default value is 50. Valid values are 1 or more.</value>
    /// <remarks>Unused permits do not accumulate: at the start of a period the limiter holds at most this many.</remarks>
    public int LimitForPeriod { get; set; } = RequestRateLimiterConstants.DefaultLimitForPeriod;

    /// <summary>Gets or sets the length of a period, after which the permits are refilled.</summary>
    /// <value>The default value is 500 ns. Valid values are 100 ns (one tick, the resolution of <see cref="TimeSpan"/>) to about 49.7 days.</value>
    /// <remarks>
    /// Periods are counted from the construction of the limiter, on its <see cref="TimeProvider"/>. When that is
    /// <see cref="TimeProvider.System"/> and the period is at least one second, time is read from the coarse monotonic
    /// clock (<see cref="Environment.TickCount64"/>), which costs a few nanoseconds instead of about 25 ns per read; its
    /// lag of one scheduler tick (1–16 ms) can only make a refill that much late, never early.
    /// </remarks>
    public TimeSpan LimitRefreshPeriod { get; set; } = RequestRateLimiterConstants.DefaultLimitRefreshPeriod;

    /// <summary>Gets or sets how long a caller may wait for a permit.</summary>
    /// <value>The default value is 5 seconds. Valid values are zero (never wait) to about 49.7 days.</value>
    /// <remarks>
    /// A caller that would have to wait longer is refused <b>at once</b>, without waiting and without reserving
    /// permits; Resilience4j makes it wait the whole timeout first.
    /// </remarks>
    public TimeSpan TimeoutDuration { get; set; } = RequestRateLimiterConstants.DefaultTimeoutDuration;

    /// <summary>Gets or sets a predicate, run after each call made through the <c>Execute</c> methods, that drains the remaining permits when it returns <see langword="true"/>.</summary>
    /// <value>The default value is <see langword="null"/>: never drain.</value>
    /// <remarks>
    /// It receives the result and <see langword="null"/> after a call that returned (a value-type result is boxed,
    /// <see langword="null"/> for calls without a result), or <see langword="null"/> and the exception after a call
    /// that threw. Use it, for example, to stop calling a server that answered "429 Too Many Requests". If the
    /// predicate throws, its exception replaces the outcome of the call.
    /// </remarks>
    public Func<object?, Exception?, bool>? DrainPermissionsOnResult { get; set; }

    /// <summary>Returns a copy; the delegate is shared.</summary>
    internal RequestRateLimiterOptions Clone() => (RequestRateLimiterOptions)MemberwiseClone();

    /// <summary>Checks every option against its valid range, as the primitive's constructor does.</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names the option, the value and the valid range.</exception>
    /// <remarks>Front-ends that bind options (configuration, DI) call it to report a bad value before anything is built.</remarks>
    public void Validate() => RequestRateLimiterOptionsValidator.Validate(this);
}
