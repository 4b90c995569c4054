using Resilience.Internal;

namespace Resilience;

public sealed partial class CircuitBreaker
{
    /// <summary>Reads the breaker's clock; pass the value to <see cref="RecordClassified"/> or <see cref="RecordErrorSince"/>.</summary>
    /// <remarks>For integrations that hold the permit across an await they do not control, such as an HTTP handler.</remarks>
    internal long GetCallTimestamp() => Now();

    /// <summary>Records a permitted call whose outcome the caller has classified; no result predicate runs.</summary>
    /// <param name="start">The value of <see cref="GetCallTimestamp"/> when the call started.</param>
    /// <param name="failed">Whether the call failed.</param>
    /// <param name="result">The result, wrapped into the error event's exception only when someone listens.</param>
    internal void RecordClassified(long start, bool failed, object? result)
    {
        long end = Now();
        TimeSpan duration = Elapsed(start, end);
        if (!failed)
        {
            RecordSuccess(duration, end);
            return;
        }

        CircuitStateObject state = Volatile.Read(ref _state);
        if (Events.IsSubscribed(CircuitBreakerEventType.Error) && state.AllowsPublishing)
        {
            PublishCallEvent(state, CircuitBreakerEventType.Error, duration, new ResultRecordedAsFailureException(Name, result));
        }

        Record(state, duration > _slowCallDurationThreshold ? CallOutcome.SlowFailure : CallOutcome.Failure, end);
    }

    /// <summary>Records a permitted call that threw, with the breaker's ignore and record rules.</summary>
    /// <param name="start">The value of <see cref="GetCallTimestamp"/> when the call started.</param>
    /// <param name="exception">The exception.</param>
    internal void RecordErrorSince(long start, Exception exception)
    {
        long end = Now();
        RecordError(Elapsed(start, end), exception, end);
    }

    /// <summary>Throws the exception a refused call gets, for the current state.</summary>
    internal CallNotPermittedException CreateNotPermittedException() => CreateNotPermittedException(Volatile.Read(ref _state));
}
