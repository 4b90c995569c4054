using Resilience.Internal;

namespace Resilience;

/// <summary>The events of one <see cref="Bulkhead"/>. Handlers run synchronously on the thread that caused the event.</summary>
/// <remarks>
/// <para>Events are built only when a handler is subscribed to their type (or to <see cref="Any"/>), so an unobserved
/// bulkhead pays one field read per event. <see cref="Any"/> handlers run before the typed ones.</para>
/// <para>A handler that throws is skipped and reported through the <c>Resilience</c> event source; it breaks
/// neither the bulkhead nor the call. Handlers never run while the bulkhead holds its waiter-queue lock.</para>
/// </remarks>
public sealed class BulkheadEvents
{
    private const int AnyBit = 1 << 30;
    private const int TypeCount = 3;

    private readonly string _name;
    private readonly EventHandlers<BulkheadEvent> _any = new();
    private readonly EventHandlers<BulkheadEvent>[] _byType = new EventHandlers<BulkheadEvent>[TypeCount];
    private int _mask;

    internal BulkheadEvents(string name)
    {
        _name = name;
        for (int i = 0; i < TypeCount; i++)
        {
            _byType[i] = new EventHandlers<BulkheadEvent>();
        }
    }

    /// <summary>Occurs for every event, before the typed handlers.</summary>
    public event Action<BulkheadEvent>? Any { add => Change(_any, value, true); remove => Change(_any, value, false); }

    /// <summary>Occurs when a call gets a permit.</summary>
    public event Action<BulkheadEvent>? CallPermitted { add => Change(BulkheadEventType.CallPermitted, value, true); remove => Change(BulkheadEventType.CallPermitted, value, false); }

    /// <summary>Occurs when a call is refused.</summary>
    public event Action<BulkheadEvent>? CallRejected { add => Change(BulkheadEventType.CallRejected, value, true); remove => Change(BulkheadEventType.CallRejected, value, false); }

    /// <summary>Occurs when a permitted call finishes and gives its permit back.</summary>
    public event Action<BulkheadEvent>? CallFinished { add => Change(BulkheadEventType.CallFinished, value, true); remove => Change(BulkheadEventType.CallFinished, value, false); }

    internal bool IsSubscribed(BulkheadEventType type) => (Volatile.Read(ref _mask) & (AnyBit | (1 << (int)type))) != 0;

    internal void Publish(in BulkheadEvent args)
    {
        _any.Invoke(args, _name);
        _byType[(int)args.EventType].Invoke(args, _name);
    }

    private void Change(BulkheadEventType type, Action<BulkheadEvent>? handler, bool add) =>
        Change(_byType[(int)type], handler, add);

    private void Change(EventHandlers<BulkheadEvent> handlers, Action<BulkheadEvent>? handler, bool add)
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
