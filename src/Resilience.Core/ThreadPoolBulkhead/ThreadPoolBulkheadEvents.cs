using Resilience.Internal;

namespace Resilience;

/// <summary>The events of one <see cref="ThreadPoolBulkhead"/>. Handlers run synchronously on the thread that caused the event.</summary>
/// <remarks>
/// <para><see cref="CallPermitted"/> and <see cref="CallFinished"/> run on the worker thread, in the task's
/// execution context (see <see cref="ThreadPoolBulkheadOptions.FlowExecutionContext"/>), so a slow handler delays the
/// task and holds its thread. <see cref="CallRejected"/> runs on the submitting thread, before
/// <see cref="BulkheadFullException"/> is thrown. A task cancelled before it starts publishes nothing.</para>
/// <para>Events are built only when a handler is subscribed to their type (or to <see cref="Any"/>).
/// <see cref="Any"/> handlers run before the typed ones. A handler that throws is skipped and reported through the
/// <c>Resilience</c> event source; it breaks neither the bulkhead nor the task. (Resilience4j's bulkheads do
/// not catch a handler's exception: it escapes into the submit or the task.)</para>
/// </remarks>
public sealed class ThreadPoolBulkheadEvents
{
    private readonly EventChannels<ThreadPoolBulkheadEvent> _channels;

    internal ThreadPoolBulkheadEvents(string name) => _channels = new EventChannels<ThreadPoolBulkheadEvent>(name, 3);

    /// <summary>Occurs for every event, before the typed handlers.</summary>
    public event Action<ThreadPoolBulkheadEvent>? Any { add => _channels.Change(EventChannels<ThreadPoolBulkheadEvent>.AnyType, value, true); remove => _channels.Change(EventChannels<ThreadPoolBulkheadEvent>.AnyType, value, false); }

    /// <summary>Occurs on the worker thread when an accepted task starts.</summary>
    public event Action<ThreadPoolBulkheadEvent>? CallPermitted { add => _channels.Change((int)ThreadPoolBulkheadEventType.CallPermitted, value, true); remove => _channels.Change((int)ThreadPoolBulkheadEventType.CallPermitted, value, false); }

    /// <summary>Occurs on the submitting thread when a task is refused.</summary>
    public event Action<ThreadPoolBulkheadEvent>? CallRejected { add => _channels.Change((int)ThreadPoolBulkheadEventType.CallRejected, value, true); remove => _channels.Change((int)ThreadPoolBulkheadEventType.CallRejected, value, false); }

    /// <summary>Occurs on the worker thread when a task that started has finished, before its <see cref="Task"/> completes.</summary>
    public event Action<ThreadPoolBulkheadEvent>? CallFinished { add => _channels.Change((int)ThreadPoolBulkheadEventType.CallFinished, value, true); remove => _channels.Change((int)ThreadPoolBulkheadEventType.CallFinished, value, false); }

    internal bool IsSubscribed(ThreadPoolBulkheadEventType type) => _channels.IsSubscribed((int)type);

    internal void Publish(in ThreadPoolBulkheadEvent args) => _channels.Publish(args, (int)args.EventType);
}
