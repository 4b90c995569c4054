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
/// <c>Resilience</c> event source; it breaks neither the bulkhead nor the task.</para>
/// </remarks>
public sealed class ThreadPoolBulkheadEvents
{
    private const int AnyBit = 1 << 30;
    private const int TypeCount = 3;

    private readonly string _name;
    private readonly EventHandlers<ThreadPoolBulkheadEvent> _any = new();
    private readonly EventHandlers<ThreadPoolBulkheadEvent>[] _byType = new EventHandlers<ThreadPoolBulkheadEvent>[TypeCount];
    private int _mask;

    internal ThreadPoolBulkheadEvents(string name)
    {
        _name = name;
        for (int i = 0; i < TypeCount; i++)
        {
            _byType[i] = new EventHandlers<ThreadPoolBulkheadEvent>();
        }
    }

    /// <summary>Occurs for every event, before the typed handlers.</summary>
    public event Action<ThreadPoolBulkheadEvent>? Any { add => Change(_any, value, true); remove => Change(_any, value, false); }

    /// <summary>Occurs on the worker thread when an accepted task starts.</summary>
    public event Action<ThreadPoolBulkheadEvent>? CallPermitted { add => Change(ThreadPoolBulkheadEventType.CallPermitted, value, true); remove => Change(ThreadPoolBulkheadEventType.CallPermitted, value, false); }

    /// <summary>Occurs on the submitting thread when a task is refused.</summary>
    public event Action<ThreadPoolBulkheadEvent>? CallRejected { add => Change(ThreadPoolBulkheadEventType.CallRejected, value, true); remove => Change(ThreadPoolBulkheadEventType.CallRejected, value, false); }

    /// <summary>Occurs on the worker thread when a task that started has finished, before its <see cref="Task"/> completes.</summary>
    public event Action<ThreadPoolBulkheadEvent>? CallFinished { add => Change(ThreadPoolBulkheadEventType.CallFinished, value, true); remove => Change(ThreadPoolBulkheadEventType.CallFinished, value, false); }

    internal bool IsSubscribed(ThreadPoolBulkheadEventType type) => (Volatile.Read(ref _mask) & (AnyBit | (1 << (int)type))) != 0;

    internal void Publish(in ThreadPoolBulkheadEvent args)
    {
        _any.Invoke(args, _name);
        _byType[(int)args.EventType].Invoke(args, _name);
    }

    private void Change(ThreadPoolBulkheadEventType type, Action<ThreadPoolBulkheadEvent>? handler, bool add) =>
        Change(_byType[(int)type], handler, add);

    private void Change(EventHandlers<ThreadPoolBulkheadEvent> handlers, Action<ThreadPoolBulkheadEvent>? handler, bool add)
    {
        if (add)
        {
            handlers.Add(handler);
        }
        else
        {
            handlers.Remove(handler);
        }

        // Concurrent changes may each compute a mask; repeat until the published mask matches the lists.
        int mask;
        do
        {
            mask = ComputeMask();
            Volatile.Write(ref _mask, mask);
        }
        while (mask != ComputeMask());
    }

    private int ComputeMask()
    {
        int mask = _any.HasHandlers ? AnyBit : 0;
        for (int i = 0; i < TypeCount; i++)
        {
            mask |= _byType[i].HasHandlers ? 1 << i : 0;
        }

        return mask;
    }
}
