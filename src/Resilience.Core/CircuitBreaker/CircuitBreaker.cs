using Resilience.Internal;

namespace Resilience;

/// <summary>
/// A circuit breaker with the semantics of Resilience4j: a count- or time-based sliding window, failure and
/// slow-call rates, N trial calls in half-open, and the disabled, forced-open and metrics-only states.
/// </summary>
/// <remarks>
/// <para>
/// <b>Concurrency.</b> The breaker keeps its state in one immutable object, replaced by compare-and-swap on every
/// transition; a compare-and-swap from a given state object succeeds at most once, so every automatic transition
/// happens exactly once however many threads race for it. Permissions and recordings take no lock. The closed
/// healthy path (a full window of fast successes) writes no shared memory at all, so one breaker scales across
/// cores. Nothing is allocated per call, per non-throwing rejection or per recorded outcome.
/// </para>
/// <para>
/// <b>Time.</b> All time comes from the injected <see cref="TimeProvider"/>: the open and half-open timers, the
/// time-based window and call durations. With <see cref="TimeProvider.System"/> and a slow-call threshold of at
/// least one second, call durations are measured with the coarse monotonic clock, which is about five times
/// cheaper to read; see <see cref="CircuitBreakerOptions.SlowCallDurationThreshold"/>.
/// </para>
/// <para>
/// <b>Permits.</b> Every call is one <see cref="CircuitBreakerPermit"/>: acquired, then completed exactly once. A
/// permit is given back only to the state that granted it, so a half-open state never has more than
/// <see cref="CircuitBreakerOptions.PermittedNumberOfCallsInHalfOpenState"/> trial calls in flight, whatever calls
/// admitted by earlier states do when they end (Resilience4j gives such a permit to whichever state is current).
/// </para>
/// <para>
/// <b>Cancellation.</b> An <see cref="OperationCanceledException"/> raised while the caller's own token is
/// cancelled is neither a success nor a failure: the permit is released and nothing is recorded. A call whose token
/// is cancelled before it starts is not started: <c>ExecuteAsync</c> returns a cancelled task without taking a
/// permit. This is a .NET decision; Resilience4j has no cancellation tokens.
/// </para>
/// </remarks>
public sealed partial class CircuitBreaker : IResilienceLayer
{
    private readonly TimeProvider _timeProvider;
    private readonly bool _coarseClock;
    private readonly bool _timeBased;
    private readonly double _clockUnitsToTicks;
    private readonly long _clockUnitsPerSecond;
    private readonly float _failureRateThreshold;
    private readonly float _slowCallRateThreshold;
    private readonly TimeSpan _slowCallDurationThreshold;
    private readonly int _permittedCallsInHalfOpen;
    private readonly int _windowSize;
    private readonly int _minimumNumberOfCalls;
    private readonly TimeSpan _maxWaitInHalfOpen;
    private readonly CircuitBreakerState _stateAfterHalfOpenWait;
    private readonly TimeSpan _waitInOpen;
    private readonly Func<int, TimeSpan>? _waitFunction;
    private readonly bool _automaticTransitionToHalfOpen;
    private readonly Type[] _recordTypes;
    private readonly Type[] _ignoreTypes;
    private readonly Func<Exception, bool>? _recordPredicate;
    private readonly Func<Exception, bool>? _ignorePredicate;
    private readonly Func<object, bool>? _recordResultPredicate;
    private readonly Func<object?, Exception?, CircuitBreakerTransitionCheck>? _transitionOnResult;
    private readonly bool _recordsEveryException;
    private CircuitStateObject _state;

    /// <summary>Initializes a new instance of the <see cref="CircuitBreaker"/> class.</summary>
    /// <param name="name">The name of the breaker, used in events, exceptions and telemetry.</param>
    /// <param name="options">The options, copied and validated now; <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The source of time; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentException">The name is empty, or an option is invalid; the message names the option, the value and the valid range.</exception>
    public CircuitBreaker(string name, CircuitBreakerOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        options ??= new CircuitBreakerOptions();
        CircuitBreakerOptionsValidator.Validate(options);
        Name = name;
        Events = new CircuitBreakerEvents(name);
        _timeProvider = timeProvider ?? TimeProvider.System;
        _failureRateThreshold = options.FailureRateThreshold;
        _slowCallRateThreshold = options.SlowCallRateThreshold;
        _slowCallDurationThreshold = options.SlowCallDurationThreshold;
        _permittedCallsInHalfOpen = options.PermittedNumberOfCallsInHalfOpenState;
        _windowSize = options.SlidingWindowSize;
        _minimumNumberOfCalls = options.MinimumNumberOfCalls;
        _timeBased = options.SlidingWindowType == SlidingWindowType.TimeBased;
        _maxWaitInHalfOpen = options.MaxWaitDurationInHalfOpenState;
        _stateAfterHalfOpenWait = options.TransitionToStateAfterWaitDuration;
        _waitInOpen = options.WaitDurationInOpenState;
        _waitFunction = options.WaitIntervalFunctionInOpenState;
        _automaticTransitionToHalfOpen = options.AutomaticTransitionFromOpenToHalfOpenEnabled;
        _recordTypes = [.. options.RecordExceptions];
        _ignoreTypes = [.. options.IgnoreExceptions];
        _recordPredicate = options.RecordExceptionPredicate;
        _ignorePredicate = options.IgnoreExceptionPredicate;
        _recordResultPredicate = options.RecordResultPredicate;
        _transitionOnResult = options.TransitionOnResult;
        _recordsEveryException = _recordTypes.Length == 0 && _recordPredicate is null;

        _coarseClock = ReferenceEquals(_timeProvider, TimeProvider.System)
            && _slowCallDurationThreshold >= CircuitBreakerConstants.CoarseClockThreshold;
        _clockUnitsPerSecond = _coarseClock ? 1000 : _timeProvider.TimestampFrequency;
        _clockUnitsToTicks = TimeSpan.TicksPerSecond / (double)_clockUnitsPerSecond;

        CircuitStateObject initial = CreateState(options.InitialState, from: null);
        _state = initial;
        StartTimer(initial);
    }

    /// <summary>Gets the name of the breaker.</summary>
    public string Name { get; }

    /// <summary>Gets the current state.</summary>
    /// <remarks>
    /// Without <see cref="CircuitBreakerOptions.AutomaticTransitionFromOpenToHalfOpenEnabled"/>, an open breaker
    /// whose wait is over still reads <see cref="CircuitBreakerState.Open"/> until the next call asks for
    /// permission and moves it to half-open.
    /// </remarks>
    public CircuitBreakerState State => Volatile.Read(ref _state).Kind;

    /// <summary>Gets whether a call made now would be permitted, without taking a permit or changing the state.</summary>
    /// <remarks>
    /// Use this, not <see cref="TryAcquirePermission(out CircuitBreakerPermit)"/>, to probe a breaker: in half-open a
    /// probe that acquires a permit consumes a trial permit. An open breaker whose wait is over reads
    /// <see langword="true"/>, because the next call will move it to half-open and be admitted; a half-open breaker
    /// with no trial permit left reads <see langword="false"/>.
    /// <para><b>Deviation from Resilience4j.</b> Its <c>CircuitBreakerUtil.isCallPermitted</c> reads the state name
    /// only: <see langword="true"/> for every half-open breaker, even with no trial permit left, and
    /// <see langword="false"/> for an open breaker until a call has moved it. This property answers for a call made
    /// now.</para>
    /// </remarks>
    public bool IsCallPermitted
    {
        get
        {
            CircuitStateObject state = Volatile.Read(ref _state);
            return state.Kind switch
            {
                CircuitBreakerState.HalfOpen => state.AvailablePermits > 0,
                CircuitBreakerState.Open => state.OpenWaitElapsed,
                CircuitBreakerState.ForcedOpen => false,
                _ => true,
            };
        }
    }

    /// <summary>Gets the events of this breaker.</summary>
    public CircuitBreakerEvents Events { get; }

    /// <summary>Gets the <see cref="TimeProvider"/> the breaker reads time from.</summary>
    public TimeProvider TimeProvider => _timeProvider;

    /// <summary>Takes a consistent snapshot of the current window and counters.</summary>
    /// <returns>The snapshot.</returns>
    public CircuitBreakerMetrics GetMetrics()
    {
        CircuitStateObject state = Volatile.Read(ref _state);
        SlidingWindow? window = state.Metrics.Window;
        WindowCounts counts = window?.GetCounts(_timeBased ? Now() : 0) ?? default;
        bool belowMinimum = window is null || counts.Total == 0 || counts.Total < window.EffectiveMinimumCalls;
        return new CircuitBreakerMetrics
        {
            FailureRate = belowMinimum ? -1f : counts.Failed * 100f / counts.Total,
            SlowCallRate = belowMinimum ? -1f : counts.Slow * 100f / counts.Total,
            NumberOfBufferedCalls = counts.Total,
            NumberOfFailedCalls = counts.Failed,
            NumberOfSlowCalls = counts.Slow,
            NumberOfSlowFailedCalls = counts.SlowFailed,
            NumberOfNotPermittedCalls = Volatile.Read(ref state.Metrics.NotPermitted.Value),
        };
    }

    /// <summary>Asks for permission to make one call, without throwing.</summary>
    /// <param name="permit">The permit when the call may go ahead; complete it exactly once (see <see cref="CircuitBreakerPermit"/>). Otherwise <see langword="default"/>.</param>
    /// <returns><see langword="true"/> if the call may go ahead.</returns>
    /// <remarks>
    /// In half-open this takes one of the trial permits; do not use it as a probe (see <see cref="IsCallPermitted"/>).
    /// In open, the first call after the wait moves the breaker to half-open and takes a trial permit. A refusal is
    /// counted and published as <see cref="CircuitBreakerEventType.CallNotPermitted"/>, once. The call's duration is
    /// measured from here.
    /// </remarks>
    public bool TryAcquirePermission(out CircuitBreakerPermit permit)
    {
        CircuitStateObject state = Volatile.Read(ref _state);
        if (IsAlwaysPermitted(state.Kind) || TryAcquireSlow(ref state))
        {
            permit = new CircuitBreakerPermit(state, Now());
            return true;
        }

        permit = default;
        return false;
    }

    /// <summary>Asks for permission to make one call, throwing if it is refused.</summary>
    /// <returns>The permit; complete it exactly once (see <see cref="CircuitBreakerPermit"/>).</returns>
    /// <exception cref="CallNotPermittedException">The breaker refused the call.</exception>
    /// <remarks>As <see cref="TryAcquirePermission(out CircuitBreakerPermit)"/>, but a refusal throws.</remarks>
    public CircuitBreakerPermit AcquirePermission()
    {
        CircuitStateObject state = Volatile.Read(ref _state);
        if (IsAlwaysPermitted(state.Kind) || TryAcquireSlow(ref state))
        {
            return new CircuitBreakerPermit(state, Now());
        }

        throw CreateNotPermittedException(state);
    }

    private static bool IsAlwaysPermitted(CircuitBreakerState kind) =>
        kind is CircuitBreakerState.Closed or CircuitBreakerState.Disabled or CircuitBreakerState.MetricsOnly;

    private bool TryAcquireSlow(ref CircuitStateObject state)
    {
        while (true)
        {
            switch (state.Kind)
            {
                case CircuitBreakerState.Open when state.OpenWaitElapsed:
                    TryTransitionFrom(state, CircuitBreakerState.HalfOpen);
                    state = Volatile.Read(ref _state);
                    continue;
                case CircuitBreakerState.HalfOpen when state.TryTakePermit():
                    return true;
                case CircuitBreakerState.Open or CircuitBreakerState.HalfOpen or CircuitBreakerState.ForcedOpen:
                    Interlocked.Increment(ref state.Metrics.NotPermitted.Value);
                    PublishCallEvent(state, CircuitBreakerEventType.CallNotPermitted, TimeSpan.Zero, exception: null);
                    return false;
                default:
                    return true;
            }
        }
    }

    private CallNotPermittedException CreateNotPermittedException(CircuitStateObject state)
    {
        TimeSpan? retryAfter = null;
        if (state.Kind == CircuitBreakerState.Open)
        {
            long now = Now();
            retryAfter = state.OpenWaitElapsed || now >= state.OpenUntil ? TimeSpan.Zero : Elapsed(now, state.OpenUntil);
        }

        return new CallNotPermittedException(Name, state.Kind, retryAfter);
    }

    /// <summary>Reads the duration clock: the coarse tick count or the provider's timestamp.</summary>
    internal long Now() => _coarseClock ? Environment.TickCount64 : _timeProvider.GetTimestamp();

    internal TimeSpan Elapsed(long start, long end) => new((long)((end - start) * _clockUnitsToTicks));
}
