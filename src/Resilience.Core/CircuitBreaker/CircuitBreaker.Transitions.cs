using Resilience.Internal;

namespace Resilience;

public sealed partial class CircuitBreaker
{
    /// <summary>Moves the breaker to <see cref="CircuitBreakerState.Closed"/> with an empty window.</summary>
    /// <exception cref="IllegalStateTransitionException">Never: every state may move to closed.</exception>
    public void TransitionToClosedState() => TransitionManually(CircuitBreakerState.Closed, openWait: null);

    /// <summary>Moves the breaker to <see cref="CircuitBreakerState.Open"/> for the wait of the next attempt.</summary>
    /// <exception cref="IllegalStateTransitionException">The breaker is in <see cref="CircuitBreakerState.MetricsOnly"/>.</exception>
    public void TransitionToOpenState() => TransitionManually(CircuitBreakerState.Open, openWait: null);

    /// <summary>Moves the breaker to <see cref="CircuitBreakerState.Open"/> for the given duration. The attempt counter is not advanced.</summary>
    /// <param name="duration">How long to stay open: 1 ms to about 49.7 days.</param>
    /// <exception cref="ArgumentOutOfRangeException">The duration is out of range.</exception>
    /// <exception cref="IllegalStateTransitionException">The breaker is in <see cref="CircuitBreakerState.MetricsOnly"/>.</exception>
    public void TransitionToOpenStateFor(TimeSpan duration)
    {
        if (duration < CircuitBreakerConstants.MinimumWait || duration > CircuitBreakerConstants.MaximumWait)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "The open duration must be from 1 ms to about 49.7 days.");
        }

        TransitionManually(CircuitBreakerState.Open, duration);
    }

    /// <summary>Moves the breaker to <see cref="CircuitBreakerState.Open"/> until the given time. The attempt counter is not advanced.</summary>
    /// <param name="until">When to stop waiting, on the breaker's <see cref="TimeProvider"/> clock; at most about 49.7 days ahead. A time in the past ends the wait at once.</param>
    /// <remarks>
    /// The instant is turned into a wait when this is called, and the wait runs on the breaker's monotonic clock, so
    /// a later change of the wall clock does not move the deadline. Resilience4j compares its wall clock with the
    /// instant on every call, so a clock step there shortens or lengthens the wait.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The time is too far ahead.</exception>
    /// <exception cref="IllegalStateTransitionException">The breaker is in <see cref="CircuitBreakerState.MetricsOnly"/>.</exception>
    public void TransitionToOpenStateUntil(DateTimeOffset until)
    {
        TimeSpan wait = until - _timeProvider.GetUtcNow();
        if (wait > CircuitBreakerConstants.MaximumWait)
        {
            throw new ArgumentOutOfRangeException(nameof(until), until, "The open deadline must be at most about 49.7 days ahead.");
        }

        TransitionManually(CircuitBreakerState.Open, wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
    }

    /// <summary>Moves the breaker to <see cref="CircuitBreakerState.HalfOpen"/> with a fresh set of trial permits.</summary>
    /// <exception cref="IllegalStateTransitionException">The breaker is in <see cref="CircuitBreakerState.Closed"/> or <see cref="CircuitBreakerState.MetricsOnly"/>.</exception>
    public void TransitionToHalfOpenState() => TransitionManually(CircuitBreakerState.HalfOpen, openWait: null);

    /// <summary>Moves the breaker to <see cref="CircuitBreakerState.Disabled"/>: every call is permitted and nothing is recorded.</summary>
    public void TransitionToDisabledState() => TransitionManually(CircuitBreakerState.Disabled, openWait: null);

    /// <summary>Moves the breaker to <see cref="CircuitBreakerState.MetricsOnly"/>: every call is permitted and recorded, and the breaker never opens.</summary>
    public void TransitionToMetricsOnlyState() => TransitionManually(CircuitBreakerState.MetricsOnly, openWait: null);

    /// <summary>Moves the breaker to <see cref="CircuitBreakerState.ForcedOpen"/>: every call is refused until the state is changed by hand.</summary>
    public void TransitionToForcedOpenState() => TransitionManually(CircuitBreakerState.ForcedOpen, openWait: null);

    /// <summary>Returns the breaker to a fresh <see cref="CircuitBreakerState.Closed"/> state from any state, cancelling pending timers.</summary>
    /// <remarks>
    /// Publishes a transition event if the breaker was not closed, then a <see cref="CircuitBreakerEventType.Reset"/>
    /// event. Unlike Resilience4j, the timers of the replaced state are cancelled, so a leftover half-open timer
    /// cannot reopen a breaker that was reset.
    /// </remarks>
    public void Reset()
    {
        CircuitStateObject next = CreateState(CircuitBreakerState.Closed, from: null);
        CircuitStateObject previous = Interlocked.Exchange(ref _state, next);
        previous.Retire();
        if (previous.Kind != CircuitBreakerState.Closed)
        {
            PublishTransition(previous.Kind, CircuitBreakerState.Closed);
        }

        PublishStateEvent(CircuitBreakerEventType.Reset, previous.Kind, CircuitBreakerState.Closed);
    }

    internal static bool IsLegalTransition(CircuitBreakerState from, CircuitBreakerState to) =>
        !(from == CircuitBreakerState.Closed && to == CircuitBreakerState.HalfOpen)
        && !(from == CircuitBreakerState.MetricsOnly && to is CircuitBreakerState.Open or CircuitBreakerState.HalfOpen);

    private void TransitionManually(CircuitBreakerState target, TimeSpan? openWait)
    {
        while (true)
        {
            CircuitStateObject current = Volatile.Read(ref _state);
            if (!IsLegalTransition(current.Kind, target))
            {
                throw new IllegalStateTransitionException(Name, current.Kind, target);
            }

            // The new state is built before the swap and has no side effects, so a lost race just retries.
            CircuitStateObject next = CreateState(target, current, openWait);
            if (Interlocked.CompareExchange(ref _state, next, current) == current)
            {
                CompleteTransition(current, next);
                return;
            }
        }
    }

    /// <summary>Moves from exactly <paramref name="expected"/> to a new state of kind <paramref name="target"/>; at most one caller wins, the others do nothing.</summary>
    private void TryTransitionFrom(CircuitStateObject expected, CircuitBreakerState target, in RatesExceeded rates = default, TimeSpan? openWait = null)
    {
        CircuitStateObject next = CreateState(target, expected, openWait);
        if (Interlocked.CompareExchange(ref _state, next, expected) == expected)
        {
            CompleteTransition(expected, next, rates);
        }
    }

    private void CompleteTransition(CircuitStateObject previous, CircuitStateObject next, in RatesExceeded rates = default)
    {
        previous.Retire();
        PublishRateEvents(previous, rates);
        if (previous.Kind != next.Kind)
        {
            PublishTransition(previous.Kind, next.Kind);
        }

        StartTimer(next);
    }

    private CircuitStateObject CreateState(CircuitBreakerState kind, CircuitStateObject? from, TimeSpan? openWait = null)
    {
        int attempts = from?.Attempts ?? 0;
        switch (kind)
        {
            case CircuitBreakerState.Closed or CircuitBreakerState.MetricsOnly:
                return new CircuitStateObject(this, kind, 0, new BreakerMetrics(CreateClosedWindow()));
            case CircuitBreakerState.Disabled:
                return new CircuitStateObject(this, kind, 0, BreakerMetrics.Empty());
            case CircuitBreakerState.ForcedOpen:
                return new CircuitStateObject(this, kind, attempts + 1, BreakerMetrics.Empty());
            case CircuitBreakerState.HalfOpen:
                int permits = _permittedCallsInHalfOpen;
                var trialWindow = new CountWindow(permits, Math.Min(_minimumNumberOfCalls, permits));
                return new CircuitStateObject(this, kind, from is null ? 1 : attempts, new BreakerMetrics(trialWindow), permits);
            default:
                int openAttempts = openWait is null ? attempts + 1 : attempts;
                TimeSpan wait = openWait ?? WaitForAttempt(openAttempts);
                BreakerMetrics metrics = from?.Metrics ?? new BreakerMetrics(CreateClosedWindow());
                return new CircuitStateObject(this, kind, openAttempts, metrics, openUntil: ClockAfter(wait)) { OpenWait = wait };
        }
    }

    /// <summary>The reading of the duration clock <paramref name="wait"/> from now, rounded up to whole clock units and saturated.</summary>
    private long ClockAfter(TimeSpan wait)
    {
        double units = Math.Ceiling(wait.Ticks / _clockUnitsToTicks);
        long now = Now();
        return units >= long.MaxValue - now ? long.MaxValue : now + (long)units;
    }

    private SlidingWindow CreateClosedWindow() => _timeBased
        ? new TimeWindow(_windowSize, _minimumNumberOfCalls, _clockUnitsPerSecond, Now())
        : new CountWindow(_windowSize, _minimumNumberOfCalls);

    private TimeSpan WaitForAttempt(int attempt)
    {
        if (_waitFunction is null)
        {
            return _waitInOpen;
        }

        try
        {
            TimeSpan wait = _waitFunction(attempt);
            return wait < CircuitBreakerConstants.MinimumWait ? CircuitBreakerConstants.MinimumWait
                : wait > CircuitBreakerConstants.MaximumWait ? CircuitBreakerConstants.MaximumWait
                : wait;
        }
#pragma warning disable CA1031 // A faulty user function must not break the call that trips the breaker.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            ResilienceEventSource.Log.WaitIntervalFunctionFailed(Name, attempt, ex.ToString());
            return _waitInOpen;
        }
    }

    private void StartTimer(CircuitStateObject state)
    {
        TimeSpan due;
        if (state.Kind == CircuitBreakerState.Open)
        {
            due = state.OpenWait;
        }
        else if (state.Kind == CircuitBreakerState.HalfOpen && _maxWaitInHalfOpen > TimeSpan.Zero)
        {
            due = _maxWaitInHalfOpen;
        }
        else
        {
            return;
        }

        if (due <= TimeSpan.Zero)
        {
            OnStateTimer(state);
            return;
        }

        state.AttachTimer(_timeProvider.CreateTimer(
            static s => { var st = (CircuitStateObject)s!; st.Breaker.OnStateTimer(st); },
            state,
            due,
            Timeout.InfiniteTimeSpan));
    }

    private void OnStateTimer(CircuitStateObject state)
    {
        if (state.Kind == CircuitBreakerState.Open)
        {
            state.MarkOpenWaitElapsed();
            if (_automaticTransitionToHalfOpen)
            {
                TryTransitionFrom(state, CircuitBreakerState.HalfOpen);
            }
        }
        else if (state.Kind == CircuitBreakerState.HalfOpen)
        {
            TryTransitionFrom(state, _stateAfterHalfOpenWait);
        }
    }
}
