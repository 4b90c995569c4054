using Resilience.Internal;

namespace Resilience;

/// <summary>The events of one <see cref="CircuitBreaker"/>. Handlers run synchronously on the thread that caused the event.</summary>
/// <remarks>
/// <para>Events are built only when a handler is subscribed to their type (or to <see cref="Any"/>), so an unobserved
/// breaker pays one field read per event. <see cref="Any"/> handlers run before the typed ones.</para>
/// <para>A handler that throws is skipped and reported through the <c>Resilience</c> event source; it breaks
/// neither the breaker nor the call. In the <see cref="CircuitBreakerState.Disabled"/> and
/// <see cref="CircuitBreakerState.ForcedOpen"/> states only <see cref="StateTransition"/> and <see cref="Reset"/>
/// are published.</para>
/// <para>Transitions made by different threads at nearly the same moment may reach handlers in a different order
/// than they happened; each transition is published exactly once.</para>
/// </remarks>
public sealed class CircuitBreakerEvents
{
    private const int AnyBit = 1 << 30;
    private const int TypeCount = 8;

    private readonly string _name;
    private readonly EventHandlers<CircuitBreakerEvent> _any = new();
    private readonly EventHandlers<CircuitBreakerEvent>[] _byType = new EventHandlers<CircuitBreakerEvent>[TypeCount];
    private int _mask;

    internal CircuitBreakerEvents(string name)
    {
        _name = name;
        for (int i = 0; i < TypeCount; i++)
        {
            _byType[i] = new EventHandlers<CircuitBreakerEvent>();
        }
    }

    /// <summary>Occurs for every event, before the typed handlers.</summary>
    public event Action<CircuitBreakerEvent>? Any { add => Change(_any, value, true); remove => Change(_any, value, false); }

    /// <summary>Occurs when a call is recorded as a success.</summary>
    public event Action<CircuitBreakerEvent>? Success { add => Change(CircuitBreakerEventType.Success, value, true); remove => Change(CircuitBreakerEventType.Success, value, false); }

    /// <summary>Occurs when a call is recorded as a failure.</summary>
    public event Action<CircuitBreakerEvent>? Error { add => Change(CircuitBreakerEventType.Error, value, true); remove => Change(CircuitBreakerEventType.Error, value, false); }

    /// <summary>Occurs when a call fails with an ignored exception.</summary>
    public event Action<CircuitBreakerEvent>? IgnoredError { add => Change(CircuitBreakerEventType.IgnoredError, value, true); remove => Change(CircuitBreakerEventType.IgnoredError, value, false); }

    /// <summary>Occurs when a call is refused.</summary>
    public event Action<CircuitBreakerEvent>? CallNotPermitted { add => Change(CircuitBreakerEventType.CallNotPermitted, value, true); remove => Change(CircuitBreakerEventType.CallNotPermitted, value, false); }

    /// <summary>Occurs when the breaker changes state.</summary>
    public event Action<CircuitBreakerEvent>? StateTransition { add => Change(CircuitBreakerEventType.StateTransition, value, true); remove => Change(CircuitBreakerEventType.StateTransition, value, false); }

    /// <summary>Occurs when the breaker is reset.</summary>
    public event Action<CircuitBreakerEvent>? Reset { add => Change(CircuitBreakerEventType.Reset, value, true); remove => Change(CircuitBreakerEventType.Reset, value, false); }

    /// <summary>Occurs when the failure rate reaches its threshold.</summary>
    public event Action<CircuitBreakerEvent>? FailureRateExceeded { add => Change(CircuitBreakerEventType.FailureRateExceeded, value, true); remove => Change(CircuitBreakerEventType.FailureRateExceeded, value, false); }

    /// <summary>Occurs when the slow-call rate reaches its threshold.</summary>
    public event Action<CircuitBreakerEvent>? SlowCallRateExceeded { add => Change(CircuitBreakerEventType.SlowCallRateExceeded, value, true); remove => Change(CircuitBreakerEventType.SlowCallRateExceeded, value, false); }

    internal bool IsSubscribed(CircuitBreakerEventType type) => (Volatile.Read(ref _mask) & (AnyBit | (1 << (int)type))) != 0;

    internal void Publish(in CircuitBreakerEvent args)
    {
        _any.Invoke(args, _name);
        _byType[(int)args.EventType].Invoke(args, _name);
    }

    private void Change(CircuitBreakerEventType type, Action<CircuitBreakerEvent>? handler, bool add) =>
        Change(_byType[(int)type], handler, add);

    private void Change(EventHandlers<CircuitBreakerEvent> handlers, Action<CircuitBreakerEvent>? handler, bool add)
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
