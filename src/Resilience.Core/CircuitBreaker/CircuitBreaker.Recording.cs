using System.Runtime.CompilerServices;
using Resilience.Internal;

namespace Resilience;

public sealed partial class CircuitBreaker
{
#if DEBUG
    /// <summary>Gets the permits granted and not yet completed (Debug builds only).</summary>
    internal OutstandingPermits OutstandingPermits { get; } = new();
#endif

    /// <summary>Records a successful call; <paramref name="now"/> is the breaker's clock at its end.</summary>
    internal CircuitBreakerCompletion RecordSuccessCore(TimeSpan duration, long now)
    {
        CircuitStateObject state = Volatile.Read(ref _state);
        PublishCallEvent(state, CircuitBreakerEventType.Success, duration, exception: null);
        Record(state, duration > _slowCallDurationThreshold ? CallOutcome.SlowSuccess : CallOutcome.Success, now);
        return new CircuitBreakerCompletion(CircuitBreakerCallOutcome.Success, duration);
    }

    /// <summary>Records a call that returned <paramref name="result"/>: a failure when the result predicate matches it.</summary>
    internal CircuitBreakerCompletion RecordResultCore<TResult>(CircuitStateObject grantedBy, TimeSpan duration, TResult result, long now) =>
        typeof(TResult) != typeof(VoidResult) && (_recordResultPredicate is not null || _transitionOnResult is not null) && result is not null
            ? RecordCheckedResult(grantedBy, duration, result, now)
            : RecordSuccessCore(duration, now);

    /// <summary>Records a result that a result predicate or a transition rule may act on.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private CircuitBreakerCompletion RecordCheckedResult<TResult>(CircuitStateObject grantedBy, TimeSpan duration, TResult result, long now)
    {
        if (_recordResultPredicate is not null && IsRecordedResult(grantedBy, result!))
        {
            CircuitStateObject state = Volatile.Read(ref _state);
            if (Events.IsSubscribed(CircuitBreakerEventType.Error) && state.AllowsPublishing)
            {
                PublishCallEvent(state, CircuitBreakerEventType.Error, duration, new ResultRecordedAsFailureException(Name, result!));
            }

            Record(state, duration > _slowCallDurationThreshold ? CallOutcome.SlowFailure : CallOutcome.Failure, now);
            return new CircuitBreakerCompletion(CircuitBreakerCallOutcome.Failure, duration);
        }

        CircuitBreakerCompletion completion = RecordSuccessCore(duration, now);
        if (_transitionOnResult is not null)
        {
            CheckTransition(result!, null);
        }

        return completion;
    }

    /// <summary>Records a call that threw, by the ignore and record rules, and says how it counted.</summary>
    internal CircuitBreakerCompletion RecordFailureCore(CircuitStateObject grantedBy, TimeSpan duration, Exception exception, long now)
    {
        if (exception is AggregateException { InnerExceptions.Count: 1 } aggregate)
        {
            exception = aggregate.InnerExceptions[0];
        }

        bool ignored, recorded;
        try
        {
            ignored = IsIgnored(exception);
            recorded = !ignored && IsRecorded(exception);
        }
        catch
        {
            // A throwing user predicate must not leak a half-open permit.
            grantedBy.ReleasePermit();
            throw;
        }

        CircuitStateObject state = Volatile.Read(ref _state);
        bool slow = duration > _slowCallDurationThreshold;
        if (ignored)
        {
            grantedBy.ReleasePermit();
            PublishCallEvent(state, CircuitBreakerEventType.IgnoredError, duration, exception);
            return new CircuitBreakerCompletion(CircuitBreakerCallOutcome.Ignored, duration);
        }

        if (recorded)
        {
            PublishCallEvent(state, CircuitBreakerEventType.Error, duration, exception);
            Record(state, slow ? CallOutcome.SlowFailure : CallOutcome.Failure, now);
            CheckTransition(null, exception);
            return new CircuitBreakerCompletion(CircuitBreakerCallOutcome.Failure, duration);
        }

        PublishCallEvent(state, CircuitBreakerEventType.Success, duration, exception: null);
        Record(state, slow ? CallOutcome.SlowSuccess : CallOutcome.Success, now);
        CheckTransition(null, exception);
        return new CircuitBreakerCompletion(CircuitBreakerCallOutcome.Success, duration);
    }

    /// <summary>Asks <see cref="CircuitBreakerOptions.TransitionOnResult"/> about a recorded call; a closed breaker opens if it says so.</summary>
    private void CheckTransition(object? result, Exception? exception)
    {
        if (_transitionOnResult is null)
        {
            return;
        }

        CircuitBreakerTransitionCheck check = _transitionOnResult(result, exception);
        CircuitStateObject state = Volatile.Read(ref _state);
        if (!check.RequestsOpen || state.Kind != CircuitBreakerState.Closed)
        {
            return;
        }

        TimeSpan? wait = check.Wait;
        if (check.Until is { } until)
        {
            TimeSpan left = until - _timeProvider.GetUtcNow();
            wait = left <= TimeSpan.Zero ? TimeSpan.Zero : left > CircuitBreakerConstants.MaximumWait ? CircuitBreakerConstants.MaximumWait : left;
        }

        TryTransitionFrom(state, CircuitBreakerState.Open, openWait: wait);
    }

    private bool IsRecordedResult(CircuitStateObject grantedBy, object result)
    {
        try
        {
            return _recordResultPredicate!(result);
        }
        catch
        {
            // A throwing user predicate must not leak a half-open permit.
            grantedBy.ReleasePermit();
            throw;
        }
    }

    private bool IsIgnored(Exception exception)
    {
        foreach (Type type in _ignoreTypes)
        {
            if (type.IsInstanceOfType(exception))
            {
                return true;
            }
        }

        return _ignorePredicate?.Invoke(exception) == true;
    }

    private bool IsRecorded(Exception exception)
    {
        if (_recordsEveryException)
        {
            return true;
        }

        foreach (Type type in _recordTypes)
        {
            if (type.IsInstanceOfType(exception))
            {
                return true;
            }
        }

        return _recordPredicate?.Invoke(exception) == true;
    }

    private void Record(CircuitStateObject state, CallOutcome outcome, long now)
    {
        // Disabled and forced-open have no window; an open state records into the window it inherited but never decides.
        SlidingWindow? window = state.Metrics.Window;
        if (window is not null && window.Record(outcome, now) && state.Kind != CircuitBreakerState.Open)
        {
            Evaluate(state, window, now);
        }
    }

    private void Evaluate(CircuitStateObject state, SlidingWindow window, long now)
    {
        WindowCounts counts = window.GetCountsForEvaluation(now);
        if (counts.Total == 0 || counts.Total < window.EffectiveMinimumCalls)
        {
            return;
        }

        float failureRate = counts.Failed * 100f / counts.Total;
        float slowCallRate = counts.Slow * 100f / counts.Total;
        bool failureExceeded = failureRate >= _failureRateThreshold;
        bool slowExceeded = slowCallRate >= _slowCallRateThreshold;
        switch (state.Kind)
        {
            case CircuitBreakerState.Closed when failureExceeded || slowExceeded:
                // Resilience4j's order: the rate event(s), then the transition.
                TryTransitionFrom(state, CircuitBreakerState.Open, new RatesExceeded(failureExceeded, failureRate, slowExceeded, slowCallRate));
                break;
            case CircuitBreakerState.HalfOpen:
                TryTransitionFrom(state, failureExceeded || slowExceeded ? CircuitBreakerState.Open : CircuitBreakerState.Closed);
                break;
            case CircuitBreakerState.MetricsOnly:
                PublishRateEvents(state, new RatesExceeded(
                    failureExceeded && state.TryMarkFailureRateExceeded(), failureRate, slowExceeded && state.TryMarkSlowCallRateExceeded(), slowCallRate));
                break;
        }
    }

    private void PublishRateEvents(CircuitStateObject state, in RatesExceeded rates)
    {
        if (rates.Failure && Events.IsSubscribed(CircuitBreakerEventType.FailureRateExceeded))
        {
            Events.Publish(NewEvent(CircuitBreakerEventType.FailureRateExceeded, state.Kind, state.Kind) with { Rate = rates.FailureRate });
        }

        if (rates.Slow && Events.IsSubscribed(CircuitBreakerEventType.SlowCallRateExceeded))
        {
            Events.Publish(NewEvent(CircuitBreakerEventType.SlowCallRateExceeded, state.Kind, state.Kind) with { Rate = rates.SlowCallRate });
        }
    }

    private void PublishCallEvent(CircuitStateObject state, CircuitBreakerEventType type, TimeSpan duration, Exception? exception)
    {
        if (Events.IsSubscribed(type) && state.AllowsPublishing)
        {
            PublishCallEventCore(state, type, duration, exception);
        }
    }

    // Out of line: the event's temporaries would otherwise widen the frame of every recording caller.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void PublishCallEventCore(CircuitStateObject state, CircuitBreakerEventType type, TimeSpan duration, Exception? exception) =>
        Events.Publish(NewEvent(type, state.Kind, state.Kind) with { ElapsedDuration = duration, Exception = exception });

    private void PublishTransition(CircuitBreakerState from, CircuitBreakerState to) =>
        PublishStateEvent(CircuitBreakerEventType.StateTransition, from, to);

    private void PublishStateEvent(CircuitBreakerEventType type, CircuitBreakerState from, CircuitBreakerState to)
    {
        if (Events.IsSubscribed(type))
        {
            Events.Publish(NewEvent(type, from, to));
        }
    }

    private CircuitBreakerEvent NewEvent(CircuitBreakerEventType type, CircuitBreakerState from, CircuitBreakerState to) => new()
    {
        EventType = type,
        CircuitBreakerName = Name,
        CreationTime = _timeProvider.GetUtcNow(),
        FromState = from,
        ToState = to,
    };

    /// <summary>Which thresholds a transition's evaluation found exceeded, published before the transition itself.</summary>
    private readonly record struct RatesExceeded(bool Failure, float FailureRate, bool Slow, float SlowCallRate);
}
