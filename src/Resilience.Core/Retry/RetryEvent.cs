using System.Globalization;

namespace Resilience;

/// <summary>Something that happened to a <see cref="Retry"/>, delivered synchronously to <see cref="Retry.Events"/> subscribers.</summary>
/// <remarks>Fields that do not apply to an event type hold their default value.</remarks>
public readonly struct RetryEvent
{
    /// <summary>Gets the kind of event.</summary>
    public RetryEventType EventType { get; internal init; }

    /// <summary>Gets the name of the retry.</summary>
    public string RetryName { get; internal init; }

    /// <summary>Gets when the event was created, from the retry's <see cref="TimeProvider"/>.</summary>
    public DateTimeOffset CreationTime { get; internal init; }

    /// <summary>Gets the number of the attempt the event reports on, starting at 1: the attempt that failed, gave up, succeeded or threw.</summary>
    public int AttemptNumber { get; internal init; }

    /// <summary>Gets the wait before the next attempt, for a <see cref="RetryEventType.Retry"/> event.</summary>
    public TimeSpan WaitDuration { get; internal init; }

    /// <summary>Gets the exception of the attempt, or for a <see cref="RetryEventType.Success"/> event the last exception that was retried.</summary>
    public Exception? Exception { get; internal init; }

    /// <summary>Gets the retryable result of the attempt (boxed if it is a value type), for retry and error events caused by a result.</summary>
    /// <remarks>A disposable result is disposed after the <see cref="RetryEventType.Retry"/> handlers return.</remarks>
    public object? Result { get; internal init; }

    /// <summary>Returns a one-line description of the event.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => EventType switch
    {
        RetryEventType.Retry => Format($"will retry after attempt {AttemptNumber} in {WaitDuration.TotalMilliseconds:0.###} ms: {Cause()}"),
        RetryEventType.Error => Format($"gave up after attempt {AttemptNumber}: {Cause()}"),
        RetryEventType.Success => Format($"succeeded on attempt {AttemptNumber}"),
        RetryEventType.IgnoredError => Format($"did not retry attempt {AttemptNumber}: {Cause()}"),
        _ => Format($"published {EventType}"),
    };

    private string Cause() => Exception is { } ex ? $"{ex.GetType().Name}: {ex.Message}" : $"result {Result ?? "null"}";

    private string Format(FormattableString what) => string.Create(
        CultureInfo.InvariantCulture, $"{CreationTime:O}: Retry '{RetryName}' {what.ToString(CultureInfo.InvariantCulture)}");
}
