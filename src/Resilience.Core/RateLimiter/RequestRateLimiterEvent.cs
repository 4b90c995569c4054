using System.Globalization;

namespace Resilience;

/// <summary>Something that happened to a <see cref="RequestRateLimiter"/>, delivered synchronously to <see cref="RequestRateLimiter.Events"/> subscribers.</summary>
public readonly struct RequestRateLimiterEvent
{
    /// <summary>Gets the kind of event.</summary>
    public RequestRateLimiterEventType EventType { get; internal init; }

    /// <summary>Gets the name of the rate limiter.</summary>
    public string RateLimiterName { get; internal init; }

    /// <summary>Gets when the event was created, from the limiter's <see cref="TimeProvider"/>.</summary>
    public DateTimeOffset CreationTime { get; internal init; }

    /// <summary>Gets the number of permits asked for, or, for <see cref="RequestRateLimiterEventType.Drained"/>, the number of permits drained.</summary>
    public int NumberOfPermits { get; internal init; }

    /// <summary>Returns a one-line description of the event.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => EventType switch
    {
        RequestRateLimiterEventType.SuccessfulAcquire => Format($"granted {NumberOfPermits} permit(s)"),
        RequestRateLimiterEventType.FailedAcquire => Format($"refused {NumberOfPermits} permit(s)"),
        RequestRateLimiterEventType.Drained => Format($"drained {NumberOfPermits} permit(s)"),
        _ => Format($"published {EventType}"),
    };

    private string Format(FormattableString what) => string.Create(
        CultureInfo.InvariantCulture, $"{CreationTime:O}: Rate limiter '{RateLimiterName}' {what.ToString(CultureInfo.InvariantCulture)}");
}
