using Resilience.Internal;

namespace Resilience;

/// <summary>The events of one <see cref="RequestRateLimiter"/>. Handlers run synchronously on the thread that caused the event.</summary>
/// <remarks>
/// <para>Events are built only when a handler is subscribed to their type (or to <see cref="Any"/>), so an unobserved
/// limiter pays one field read per event. <see cref="Any"/> handlers run before the typed ones.</para>
/// <para>A handler that throws is skipped and reported through the <c>Resilience</c> event source; it breaks
/// neither the limiter nor the call.</para>
/// </remarks>
public sealed class RequestRateLimiterEvents
{
    private readonly EventChannels<RequestRateLimiterEvent> _channels;

    internal RequestRateLimiterEvents(string name) => _channels = new EventChannels<RequestRateLimiterEvent>(name, 3);

    /// <summary>Occurs for every event, before the typed handlers.</summary>
    public event Action<RequestRateLimiterEvent>? Any { add => _channels.Change(EventChannels<RequestRateLimiterEvent>.AnyType, value, true); remove => _channels.Change(EventChannels<RequestRateLimiterEvent>.AnyType, value, false); }

    /// <summary>Occurs when permits are granted (after the wait, for a caller that waited for a reservation).</summary>
    public event Action<RequestRateLimiterEvent>? SuccessfulAcquire { add => _channels.Change((int)RequestRateLimiterEventType.SuccessfulAcquire, value, true); remove => _channels.Change((int)RequestRateLimiterEventType.SuccessfulAcquire, value, false); }

    /// <summary>Occurs when permits are refused, or a waiting caller is cancelled.</summary>
    public event Action<RequestRateLimiterEvent>? FailedAcquire { add => _channels.Change((int)RequestRateLimiterEventType.FailedAcquire, value, true); remove => _channels.Change((int)RequestRateLimiterEventType.FailedAcquire, value, false); }

    /// <summary>Occurs when the permits of the current period are drained.</summary>
    public event Action<RequestRateLimiterEvent>? Drained { add => _channels.Change((int)RequestRateLimiterEventType.Drained, value, true); remove => _channels.Change((int)RequestRateLimiterEventType.Drained, value, false); }

    internal bool IsSubscribed(RequestRateLimiterEventType type) => _channels.IsSubscribed((int)type);

    internal void Publish(in RequestRateLimiterEvent args) => _channels.Publish(args, (int)args.EventType);
}
