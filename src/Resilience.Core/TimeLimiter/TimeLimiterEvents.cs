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
    private const int AnyBit = 1 << 30;
    private const int TypeCount = 3;

    private readonly string _name;
    private readonly EventHandlers<TimeLimiterEvent> _any = new();
    private readonly EventHandlers<TimeLimiterEvent>[] _byType = new EventHandlers<TimeLimiterEvent>[TypeCount];
    private int _mask;

    internal TimeLimiterEvents(string name)
    {
        _name = name;
        for (int i = 0; i < TypeCount; i++)
        {
            _byType[i] = new EventHandlers<TimeLimiterEvent>();
        }
    }

    /// <summary>Occurs for every event, before the typed handlers.</summary>
    public event Action<TimeLimiterEvent>? Any { add => Change(_any, value, true); remove => Change(_any, value, false); }

    /// <summary>Occurs when an operation completes successfully within the timeout.</summary>
    public event Action<TimeLimiterEvent>? Success { add => Change(TimeLimiterEventType.Success, value, true); remove => Change(TimeLimiterEventType.Success, value, false); }

    /// <summary>Occurs when a call times out.</summary>
    public event Action<TimeLimiterEvent>? Timeout { add => Change(TimeLimiterEventType.Timeout, value, true); remove => Change(TimeLimiterEventType.Timeout, value, false); }

    /// <summary>Occurs when an operation fails within the timeout.</summary>
    public event Action<TimeLimiterEvent>? Error { add => Change(TimeLimiterEventType.Error, value, true); remove => Change(TimeLimiterEventType.Error, value, false); }

    internal bool IsSubscribed(TimeLimiterEventType type) => (Volatile.Read(ref _mask) & (AnyBit | (1 << (int)type))) != 0;

    internal void Publish(in TimeLimiterEvent args)
    {
        _any.Invoke(args, _name);
        _byType[(int)args.EventType].Invoke(args, _name);
    }

    private void Change(TimeLimiterEventType type, Action<TimeLimiterEvent>? handler, bool add) =>
        Change(_byType[(int)type], handler, add);

    private void Change(EventHandlers<TimeLimiterEvent> handlers, Action<TimeLimiterEvent>? handler, bool add)
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
