using Resilience.Internal;

namespace Resilience;

/// <summary>The events of one <see cref="Bulkhead"/>. Handlers run synchronously on the thread that caused the event.</summary>
/// <remarks>
/// <para>Events are built only when a handler is subscribed to their type (or to <see cref="Any"/>), so an unobserved
/// bulkhead pays one field read per event. <see cref="Any"/> handlers run before the typed ones.</para>
/// <para>A handler that throws is skipped and reported through the <c>Resilience</c> event source; it breaks
/// neither the bulkhead nor the call. Handlers never run while the bulkhead holds its waiter-queue lock.
/// (Resilience4j's bulkhead does not catch a handler's exception: it reaches the caller, a permit possibly taken.)</para>
/// </remarks>
public sealed class BulkheadEvents
{
    private readonly EventChannels<BulkheadEvent> _channels;

    internal BulkheadEvents(string name) => _channels = new EventChannels<BulkheadEvent>(name, 3);

    /// <summary>Occurs for every event, before the typed handlers.</summary>
    public event Action<BulkheadEvent>? Any { add => _channels.Change(EventChannels<BulkheadEvent>.AnyType, value, true); remove => _channels.Change(EventChannels<BulkheadEvent>.AnyType, value, false); }

    /// <summary>Occurs when a call gets a permit.</summary>
    public event Action<BulkheadEvent>? CallPermitted { add => _channels.Change((int)BulkheadEventType.CallPermitted, value, true); remove => _channels.Change((int)BulkheadEventType.CallPermitted, value, false); }

    /// <summary>Occurs when a call is refused.</summary>
    public event Action<BulkheadEvent>? CallRejected { add => _channels.Change((int)BulkheadEventType.CallRejected, value, true); remove => _channels.Change((int)BulkheadEventType.CallRejected, value, false); }

    /// <summary>Occurs when a permitted call finishes and gives its permit back.</summary>
    public event Action<BulkheadEvent>? CallFinished { add => _channels.Change((int)BulkheadEventType.CallFinished, value, true); remove => _channels.Change((int)BulkheadEventType.CallFinished, value, false); }

    internal bool IsSubscribed(BulkheadEventType type) => _channels.IsSubscribed((int)type);

    internal void Publish(in BulkheadEvent args) => _channels.Publish(args, (int)args.EventType);
}
