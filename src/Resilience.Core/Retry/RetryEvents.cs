using Resilience.Internal;

namespace Resilience;

/// <summary>The events of one <see cref="Retry"/>. Handlers run synchronously on the thread that runs the call.</summary>
/// <remarks>
/// <para>Events are built only when a handler is subscribed to their type (or to <see cref="Any"/>), so an unobserved
/// retry pays one field read per event, and a value-type result is boxed for an event only when someone listens.
/// <see cref="Any"/> handlers run before the typed ones.</para>
/// <para>A handler that throws is skipped and reported through the <c>Resilience</c> event source; it breaks
/// neither the retry nor the call.</para>
/// </remarks>
public sealed class RetryEvents
{
    private readonly EventChannels<RetryEvent> _channels;

    internal RetryEvents(string name) => _channels = new EventChannels<RetryEvent>(name, 4);

    /// <summary>Occurs for every event, before the typed handlers.</summary>
    public event Action<RetryEvent>? Any { add => _channels.Change(EventChannels<RetryEvent>.AnyType, value, true); remove => _channels.Change(EventChannels<RetryEvent>.AnyType, value, false); }

    /// <summary>Occurs when an attempt failed and will be retried, once the wait has started.</summary>
    public event Action<RetryEvent>? Retry { add => _channels.Change((int)RetryEventType.Retry, value, true); remove => _channels.Change((int)RetryEventType.Retry, value, false); }

    /// <summary>Occurs when a call gives up: its attempts are exhausted or an interval function stopped it.</summary>
    public event Action<RetryEvent>? Error { add => _channels.Change((int)RetryEventType.Error, value, true); remove => _channels.Change((int)RetryEventType.Error, value, false); }

    /// <summary>Occurs when a call succeeds after at least one retry.</summary>
    public event Action<RetryEvent>? Success { add => _channels.Change((int)RetryEventType.Success, value, true); remove => _channels.Change((int)RetryEventType.Success, value, false); }

    /// <summary>Occurs when an attempt throws an exception that is not retried.</summary>
    public event Action<RetryEvent>? IgnoredError { add => _channels.Change((int)RetryEventType.IgnoredError, value, true); remove => _channels.Change((int)RetryEventType.IgnoredError, value, false); }

    internal bool IsSubscribed(RetryEventType type) => _channels.IsSubscribed((int)type);

    internal void Publish(in RetryEvent args) => _channels.Publish(args, (int)args.EventType);
}
