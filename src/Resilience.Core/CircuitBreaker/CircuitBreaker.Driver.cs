using Resilience.Internal;

namespace Resilience;

/// <summary>How a permitted call counted in the breaker.</summary>
internal enum BreakerCallOutcome
{
    /// <summary>Recorded as a success.</summary>
    Successful,

    /// <summary>Recorded as a failure.</summary>
    Failed,

    /// <summary>Not recorded; its permit was given back.</summary>
    Ignored,
}

public sealed partial class CircuitBreaker
{
    /// <summary>Reads the breaker's clock; pass the value to <see cref="RecordClassified"/> or <see cref="RecordErrorSince"/>.</summary>
    /// <remarks>The members in this file serve integrations that hold a permit across an await they do not control, such as an HTTP handler.</remarks>
    internal long GetCallTimestamp() => Now();

    /// <summary>Records a permitted call whose outcome the caller has classified; no result predicate runs.</summary>
    /// <param name="start">The value of <see cref="GetCallTimestamp"/> when the call started.</param>
    /// <param name="failed">Whether the call failed.</param>
    /// <param name="result">The result, wrapped into the error event's exception only when someone listens.</param>
    /// <returns>How long the call took.</returns>
    internal TimeSpan RecordClassified(long start, bool failed, object? result)
    {
        long end = Now();
        TimeSpan duration = Elapsed(start, end);
        if (!failed)
        {
            RecordSuccess(duration, end);
            return duration;
        }

        CircuitStateObject state = Volatile.Read(ref _state);
        if (Events.IsSubscribed(CircuitBreakerEventType.Error) && state.AllowsPublishing)
        {
            PublishCallEvent(state, CircuitBreakerEventType.Error, duration, new ResultRecordedAsFailureException(Name, result));
        }

        Record(state, duration > _slowCallDurationThreshold ? CallOutcome.SlowFailure : CallOutcome.Failure, end);
        return duration;
    }

    /// <summary>Records a permitted call that threw, with the breaker's ignore and record rules.</summary>
    /// <param name="start">The value of <see cref="GetCallTimestamp"/> when the call started.</param>
    /// <param name="exception">The exception.</param>
    /// <param name="duration">How long the call took.</param>
    /// <returns>How the call counted.</returns>
    internal BreakerCallOutcome RecordErrorSince(long start, Exception exception, out TimeSpan duration)
    {
        long end = Now();
        duration = Elapsed(start, end);
        return RecordError(duration, exception, end);
    }

    /// <summary>The exception a refused call gets, for the current state.</summary>
    internal CallNotPermittedException CreateNotPermittedException() => CreateNotPermittedException(Volatile.Read(ref _state));
}
