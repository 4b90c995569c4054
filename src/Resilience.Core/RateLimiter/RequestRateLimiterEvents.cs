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
    private const int AnyBit = 1 << 30;
    private const int TypeCount = 3;

    private readonly string _name;
    private readonly EventHandlers<RequestRateLimiterEvent> _any = new();
    private readonly EventHandlers<RequestRateLimiterEvent>[] _byType = new EventHandlers<RequestRateLimiterEvent>[TypeCount];
    private int _mask;

    internal RequestRateLimiterEvents(string name)
    {
        _name = name;
        for (int i = 0; i < TypeCount; i++)
        {
            _byType[i] = new EventHandlers<RequestRateLimiterEvent>();
        }
    }

    /// <summary>Occurs for every event, before the typed handlers.</summary>
    public event Action<RequestRateLimiterEvent>? Any { add => Change(_any, value, true); remove => Change(_any, value, false); }

    /// <summary>Occurs when permits are granted (after the wait, for a caller that waited for a reservation).</summary>
    public event Action<RequestRateLimiterEvent>? SuccessfulAcquire { add => Change(RequestRateLimiterEventType.SuccessfulAcquire, value, true); remove => Change(RequestRateLimiterEventType.SuccessfulAcquire, value, false); }

    /// <summary>Occurs when permits are refused, or a waiting caller is cancelled.</summary>
    public event Action<RequestRateLimiterEvent>? FailedAcquire { add => Change(RequestRateLimiterEventType.FailedAcquire, value, true); remove => Change(RequestRateLimiterEventType.FailedAcquire, value, false); }

    /// <summary>Occurs when the permits of the current period are drained.</summary>
    public event Action<RequestRateLimiterEvent>? Drained { add => Change(RequestRateLimiterEventType.Drained, value, true); remove => Change(RequestRateLimiterEventType.Drained, value, false); }

    internal bool IsSubscribed(RequestRateLimiterEventType type) => (Volatile.Read(ref _mask) & (AnyBit | (1 << (int)type))) != 0;

    internal void Publish(in RequestRateLimiterEvent args)
    {
        _any.Invoke(args, _name);
        _byType[(int)args.EventType].Invoke(args, _name);
    }

    private void Change(RequestRateLimiterEventType type, Action<RequestRateLimiterEvent>? handler, bool add) =>
        Change(_byType[(int)type], handler, add);

    private void Change(EventHandlers<RequestRateLimiterEvent> handlers, Action<RequestRateLimiterEvent>? handler, bool add)
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
