using System.Globalization;

namespace Resilience;

/// <summary>Something that happened to a <see cref="TimeLimiter"/>, delivered synchronously to <see cref="TimeLimiter.Events"/> subscribers.</summary>
/// <remarks>Fields that do not apply to an event type hold their default value.</remarks>
public readonly struct TimeLimiterEvent
{
    /// <summary>Gets the kind of event.</summary>
    public TimeLimiterEventType EventType { get; internal init; }

    /// <summary>Gets the name of the time limiter.</summary>
    public string TimeLimiterName { get; internal init; }

    /// <summary>Gets when the event was created, from the time limiter's <see cref="TimeProvider"/>.</summary>
    public DateTimeOffset CreationTime { get; internal init; }

    /// <summary>Gets the exception of an error event: the one the operation threw.</summary>
    public Exception? Exception { get; internal init; }

    /// <summary>Returns a one-line description of the event.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => EventType switch
    {
        TimeLimiterEventType.Success => Format("recorded a successful call"),
        TimeLimiterEventType.Timeout => Format("recorded a timeout"),
        TimeLimiterEventType.Error => Format($"recorded an error: {Exception?.GetType().Name}: {Exception?.Message}"),
        _ => Format($"published {EventType}"),
    };

    private string Format(string what) => string.Create(
        CultureInfo.InvariantCulture, $"{CreationTime:O}: Time limiter '{TimeLimiterName}' {what}");
}
