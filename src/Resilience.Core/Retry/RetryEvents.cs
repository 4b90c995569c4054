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
    private const int AnyBit = 1 << 30;
    private const int TypeCount = 4;

    private readonly string _name;
    private readonly EventHandlers<RetryEvent> _any = new();
    private readonly EventHandlers<RetryEvent>[] _byType = new EventHandlers<RetryEvent>[TypeCount];
    private int _mask;

    internal RetryEvents(string name)
    {
        _name = name;
        for (int i = 0; i < TypeCount; i++)
        {
            _byType[i] = new EventHandlers<RetryEvent>();
        }
    }

    /// <summary>Occurs for every event, before the typed handlers.</summary>
    public event Action<RetryEvent>? Any { add => Change(_any, value, true); remove => Change(_any, value, false); }

    /// <summary>Occurs when an attempt failed and will be retried, once the wait has started.</summary>
    public event Action<RetryEvent>? Retry { add => Change(RetryEventType.Retry, value, true); remove => Change(RetryEventType.Retry, value, false); }

    /// <summary>Occurs when a call gives up: its attempts are exhausted or an interval function stopped it.</summary>
    public event Action<RetryEvent>? Error { add => Change(RetryEventType.Error, value, true); remove => Change(RetryEventType.Error, value, false); }

    /// <summary>Occurs when a call succeeds after at least one retry.</summary>
    public event Action<RetryEvent>? Success { add => Change(RetryEventType.Success, value, true); remove => Change(RetryEventType.Success, value, false); }

    /// <summary>Occurs when an attempt throws an exception that is not retried.</summary>
    public event Action<RetryEvent>? IgnoredError { add => Change(RetryEventType.IgnoredError, value, true); remove => Change(RetryEventType.IgnoredError, value, false); }

    internal bool IsSubscribed(RetryEventType type) => (Volatile.Read(ref _mask) & (AnyBit | (1 << (int)type))) != 0;

    internal void Publish(in RetryEvent args)
    {
        _any.Invoke(args, _name);
        _byType[(int)args.EventType].Invoke(args, _name);
    }

    private void Change(RetryEventType type, Action<RetryEvent>? handler, bool add) =>
        Change(_byType[(int)type], handler, add);

    private void Change(EventHandlers<RetryEvent> handlers, Action<RetryEvent>? handler, bool add)
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
