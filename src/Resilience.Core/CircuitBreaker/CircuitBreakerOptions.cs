namespace Resilience;

/// <summary>The settings of a <see cref="CircuitBreaker"/>. Every property has the default of Resilience4j, except <see cref="IgnoreExceptions"/>.</summary>
/// <remarks>
/// <para>A breaker copies its options when it is built and validates them then: changing an options object later has no
/// effect on breakers already built from it. An invalid value makes the constructor throw an
/// <see cref="ArgumentException"/> whose message names the option, the value and the valid range.</para>
/// <para><b>Deviation from Resilience4j.</b> By default a breaker ignores the rejections of the library's other layers,
/// <see cref="CallNotPermittedException"/> (of another breaker), <see cref="BulkheadFullException"/> and
/// <see cref="RequestNotPermittedException"/>: a call refused by a bulkhead or a rate limiter, or by a breaker further
/// down, never reached the dependency and says nothing about its health, so it is neither a success nor a failure
/// (its permit is given back and <see cref="CircuitBreakerEventType.IgnoredError"/> is published). Resilience4j records
/// them as failures, so that a full bulkhead behind a breaker can open it. A <see cref="TimeLimiterTimeoutException"/>
/// is a failure, as in Resilience4j: the dependency was too slow. To record the rejections as Resilience4j does, remove
/// them from <see cref="IgnoreExceptions"/>.</para>
/// </remarks>
public class CircuitBreakerOptions
{
    /// <summary>Gets or sets the failure rate, in percent, at or above which the breaker opens.</summary>
    /// <value>The default value is 50. Valid values are greater than 0 and at most 100.</value>
    /// <remarks>The breaker opens when the failure rate is <b>greater than or equal to</b> this value.</remarks>
    public float FailureRateThreshold { get; set; } = CircuitBreakerConstants.DefaultFailureRateThreshold;

    /// <summary>Gets or sets the slow-call rate, in percent, at or above which the breaker opens.</summary>
    /// <value>The default value is 100, so by default every call in the window must be slow.</value>
    /// <remarks>The breaker opens when the slow-call rate is <b>greater than or equal to</b> this value.</remarks>
    public float SlowCallRateThreshold { get; set; } = CircuitBreakerConstants.DefaultSlowCallRateThreshold;

    /// <summary>Gets or sets the duration above which a call is slow.</summary>
    /// <value>The default value is 60 seconds. Valid values are greater than zero.</value>
    /// <remarks>
    /// A call is slow when its duration is <b>strictly greater</b> than this value, whether it succeeded or failed.
    /// When the breaker uses <see cref="TimeProvider.System"/> and this value is at least one second, durations are
    /// measured with the coarse monotonic clock (<see cref="Environment.TickCount64"/>, resolution 1–16 ms), which
    /// costs a few nanoseconds instead of about 25 ns per read. Shorter thresholds use the precise clock.
    /// </remarks>
    public TimeSpan SlowCallDurationThreshold { get; set; } = CircuitBreakerConstants.DefaultSlowCallDurationThreshold;

    /// <summary>Gets or sets the number of trial calls permitted in the half-open state.</summary>
    /// <value>The default value is 10. Valid values are 1 to 50,000.</value>
    /// <remarks>
    /// Exactly this many permits are granted, however many callers race for them. The trial calls are recorded in a
    /// count-based window of this size, and the breaker decides as soon as
    /// min(<see cref="MinimumNumberOfCalls"/>, this value) outcomes are recorded.
    /// </remarks>
    public int PermittedNumberOfCallsInHalfOpenState { get; set; } = CircuitBreakerConstants.DefaultPermittedNumberOfCallsInHalfOpenState;

    /// <summary>Gets or sets how long the breaker may stay half-open before it moves to <see cref="TransitionToStateAfterWaitDuration"/>.</summary>
    /// <value>The default value is <see cref="TimeSpan.Zero"/>, which means no limit. Other valid values are 1 ms to about 49.7 days.</value>
    /// <remarks>
    /// Set it so that trial calls that never complete cannot keep the breaker half-open forever. A value between zero
    /// and 1 ms is rejected; Resilience4j silently treats it as zero (no limit).
    /// </remarks>
    public TimeSpan MaxWaitDurationInHalfOpenState { get; set; } = CircuitBreakerConstants.DefaultMaxWaitDurationInHalfOpenState;

    /// <summary>Gets or sets the state the breaker moves to when <see cref="MaxWaitDurationInHalfOpenState"/> expires.</summary>
    /// <value>The default value is <see cref="CircuitBreakerState.Open"/>. Valid values are <see cref="CircuitBreakerState.Open"/> and <see cref="CircuitBreakerState.Closed"/>.</value>
    public CircuitBreakerState TransitionToStateAfterWaitDuration { get; set; } = CircuitBreakerConstants.DefaultTransitionToStateAfterWaitDuration;

    /// <summary>Gets or sets whether the window counts calls or seconds.</summary>
    /// <value>The default value is <see cref="SlidingWindowType.CountBased"/>.</value>
    public SlidingWindowType SlidingWindowType { get; set; } = CircuitBreakerConstants.DefaultSlidingWindowType;

    /// <summary>Gets or sets the size of the window: a number of calls, or a number of seconds.</summary>
    /// <value>The default value is 100. Valid values are 1 to 50,000 calls, or 1 to 3,600 seconds.</value>
    public int SlidingWindowSize { get; set; } = CircuitBreakerConstants.DefaultSlidingWindowSize;

    /// <summary>Gets or sets how many calls the window must hold before the rates are computed.</summary>
    /// <value>The default value is 100. Valid values are 1 or more.</value>
    /// <remarks>
    /// Until the window holds this many calls, both rates read <b>−1</b> and the breaker cannot open. For a
    /// count-based window the effective minimum is min(this value, <see cref="SlidingWindowSize"/>); a time-based
    /// window is not clamped.
    /// </remarks>
    public int MinimumNumberOfCalls { get; set; } = CircuitBreakerConstants.DefaultMinimumNumberOfCalls;

    /// <summary>Gets or sets how long the breaker stays open before it permits trial calls.</summary>
    /// <value>The default value is 60 seconds. Valid values are 1 ms to about 49.7 days.</value>
    /// <remarks>Ignored when <see cref="WaitIntervalFunctionInOpenState"/> is set.</remarks>
    public TimeSpan WaitDurationInOpenState { get; set; } = CircuitBreakerConstants.DefaultWaitDurationInOpenState;

    /// <summary>Gets or sets a function from the attempt number to the wait in the open state, for waits that grow.</summary>
    /// <value>The default value is <see langword="null"/>: every wait is <see cref="WaitDurationInOpenState"/>.</value>
    /// <remarks>
    /// The attempt number is 1 for the first opening after the breaker closed, and grows by one each time a
    /// half-open trial fails (or the breaker is forced open). A result outside 1 ms to about 49.7 days is clamped
    /// into that range; if the function throws, <see cref="WaitDurationInOpenState"/> is used.
    /// </remarks>
    public Func<int, TimeSpan>? WaitIntervalFunctionInOpenState { get; set; }

    /// <summary>Gets or sets whether a timer moves the breaker from open to half-open when the wait is over.</summary>
    /// <value>The default value is <see langword="false"/>: the first call after the wait moves the breaker, and until then <see cref="CircuitBreaker.State"/> reads <see cref="CircuitBreakerState.Open"/>.</value>
    public bool AutomaticTransitionFromOpenToHalfOpenEnabled { get; set; } = CircuitBreakerConstants.DefaultAutomaticTransitionFromOpenToHalfOpenEnabled;

    /// <summary>Gets the exception types recorded as failures. A type matches its subclasses too.</summary>
    /// <value>The default value is empty. When both this and <see cref="RecordExceptionPredicate"/> are unset, every exception that is not ignored is a failure.</value>
    /// <remarks>When either is set, an exception that matches neither counts as a <b>success</b>.</remarks>
    public IList<Type> RecordExceptions { get; private set; } = [];

    /// <summary>Gets or sets a predicate that records an exception as a failure. It is combined with <see cref="RecordExceptions"/> by OR.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public Func<Exception, bool>? RecordExceptionPredicate { get; set; }

    /// <summary>Gets the exception types that are ignored: neither success nor failure. A type matches its subclasses too.</summary>
    /// <value>
    /// The default value is <see cref="CallNotPermittedException"/>, <see cref="BulkheadFullException"/> and
    /// <see cref="RequestNotPermittedException"/>, the rejections of the library's other layers; Resilience4j's default
    /// is empty. <see cref="TimeLimiterTimeoutException"/> is not ignored: a time-out is a failure.
    /// </value>
    /// <remarks>
    /// Ignore rules are checked before record rules, so a default rejection type stays ignored even if it is also
    /// listed in <see cref="RecordExceptions"/>; remove it from this list (or <see cref="ICollection{T}.Clear"/> the list)
    /// to record it. An ignored call gives its half-open permit back.
    /// </remarks>
    public IList<Type> IgnoreExceptions { get; private set; } = [.. CircuitBreakerConstants.DefaultIgnoreExceptions];

    /// <summary>Gets or sets a predicate that ignores an exception. It is combined with <see cref="IgnoreExceptions"/> by OR.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public Func<Exception, bool>? IgnoreExceptionPredicate { get; set; }

    /// <summary>Gets or sets a predicate that records a returned value as a failure.</summary>
    /// <value>The default value is <see langword="null"/>: no result is a failure.</value>
    /// <remarks>A <see langword="null"/> result is always a success. A value-type result is boxed to be tested.</remarks>
    public Func<object, bool>? RecordResultPredicate { get; set; }

    /// <summary>Gets or sets a hook that can open a closed breaker because of one call's outcome (Resilience4j's <c>transitionOnResult</c>).</summary>
    /// <value>The default value is <see langword="null"/>: no call opens the breaker by itself.</value>
    /// <remarks>
    /// It receives the result (or <see langword="null"/>) and the exception (or <see langword="null"/>) of a call,
    /// after that call was recorded: an exception recorded as a failure or counted as a success, or a non-null result
    /// counted as a success. Like Resilience4j, it is not asked about ignored exceptions, about results recorded as
    /// failures, or about <see langword="null"/> results. Only a closed breaker acts on the answer, once however many
    /// calls ask at the same time. <see cref="CircuitBreakerTransitionCheck.Open"/> opens for the usual wait, where
    /// Resilience4j throws and leaves the closed state stuck.
    /// </remarks>
    public Func<object?, Exception?, CircuitBreakerTransitionCheck>? TransitionOnResult { get; set; }

    /// <summary>Gets or sets the state a new breaker starts in.</summary>
    /// <value>The default value is <see cref="CircuitBreakerState.Closed"/>.</value>
    public CircuitBreakerState InitialState { get; set; } = CircuitBreakerConstants.DefaultInitialState;

    /// <summary>Returns a deep copy: the exception type lists are copied, delegates are shared. A derived options type gets a copy of its own type.</summary>
    /// <returns>The copy.</returns>
    public CircuitBreakerOptions Clone()
    {
        var copy = (CircuitBreakerOptions)MemberwiseClone();
        copy.RecordExceptions = [.. RecordExceptions];
        copy.IgnoreExceptions = [.. IgnoreExceptions];
        return copy;
    }

    /// <summary>Checks every option against its valid range, as the primitive's constructor does.</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names the option, the value and the valid range.</exception>
    /// <remarks>Front-ends that bind options (configuration, DI) call it to report a bad value before anything is built.</remarks>
    public void Validate() => CircuitBreakerOptionsValidator.Validate(this);
}
