using Resilience.Internal;

namespace Resilience;

/// <summary>The events of one <see cref="TimeLimiter"/>. Handlers run synchronously on the thread that decided the call.</summary>
/// <remarks>
/// <para>Events are built only when a handler is subscribed to their type (or to <see cref="Any"/>), so an unobserved
/// limiter pays one field read per call. <see cref="Any"/> handlers run before the typed ones.</para>
/// <para>Every call that reaches its operation publishes exactly one of <see cref="Success"/>, <see cref="Timeout"/>
/// and <see cref="Error"/>, except a call ended by the caller's own cancellation, which publishes nothing. A
/// <see cref="Timeout"/> handler runs on the timer's thread, before the caller resumes.</para>
/// <para>A handler that throws is skipped and reported through the <c>Resilience</c> event source; it breaks
/// neither the limiter nor the call.</para>
/// </remarks>
public sealed class TimeLimiterEvents
{
    private readonly EventChannels<TimeLimiterEvent> _channels;

    internal TimeLimiterEvents(string name) => _channels = new EventChannels<TimeLimiterEvent>(name, 3);

    /// <summary>Occurs for every event, before the typed handlers.</summary>
    public event Action<TimeLimiterEvent>? Any { add => _channels.Change(EventChannels<TimeLimiterEvent>.AnyType, value, true); remove => _channels.Change(EventChannels<TimeLimiterEvent>.AnyType, value, false); }

    /// <summary>Occurs when an operation completes successfully within the timeout.</summary>
    public event Action<TimeLimiterEvent>? Success { add => _channels.Change((int)TimeLimiterEventType.Success, value, true); remove => _channels.Change((int)TimeLimiterEventType.Success, value, false); }

    /// <summary>Occurs when a call times out.</summary>
    public event Action<TimeLimiterEvent>? Timeout { add => _channels.Change((int)TimeLimiterEventType.Timeout, value, true); remove => _channels.Change((int)TimeLimiterEventType.Timeout, value, false); }

    /// <summary>Occurs when an operation fails within the timeout.</summary>
    public event Action<TimeLimiterEvent>? Error { add => _channels.Change((int)TimeLimiterEventType.Error, value, true); remove => _channels.Change((int)TimeLimiterEventType.Error, value, false); }

    internal bool IsSubscribed(TimeLimiterEventType type) => _channels.IsSubscribed((int)type);

    internal void Publish(in TimeLimiterEvent args) => _channels.Publish(args, (int)args.EventType);
}
