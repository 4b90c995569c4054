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
    private readonly EventChannels<CircuitBreakerEvent> _channels;

    internal CircuitBreakerEvents(string name) => _channels = new EventChannels<CircuitBreakerEvent>(name, 8);

    /// <summary>Occurs for every event, before the typed handlers.</summary>
    public event Action<CircuitBreakerEvent>? Any { add => _channels.Change(EventChannels<CircuitBreakerEvent>.AnyType, value, true); remove => _channels.Change(EventChannels<CircuitBreakerEvent>.AnyType, value, false); }

    /// <summary>Occurs when a call is recorded as a success.</summary>
    public event Action<CircuitBreakerEvent>? Success { add => _channels.Change((int)CircuitBreakerEventType.Success, value, true); remove => _channels.Change((int)CircuitBreakerEventType.Success, value, false); }

    /// <summary>Occurs when a call is recorded as a failure.</summary>
    public event Action<CircuitBreakerEvent>? Error { add => _channels.Change((int)CircuitBreakerEventType.Error, value, true); remove => _channels.Change((int)CircuitBreakerEventType.Error, value, false); }

    /// <summary>Occurs when a call fails with an ignored exception.</summary>
    public event Action<CircuitBreakerEvent>? IgnoredError { add => _channels.Change((int)CircuitBreakerEventType.IgnoredError, value, true); remove => _channels.Change((int)CircuitBreakerEventType.IgnoredError, value, false); }

    /// <summary>Occurs when a call is refused.</summary>
    public event Action<CircuitBreakerEvent>? CallNotPermitted { add => _channels.Change((int)CircuitBreakerEventType.CallNotPermitted, value, true); remove => _channels.Change((int)CircuitBreakerEventType.CallNotPermitted, value, false); }

    /// <summary>Occurs when the breaker changes state.</summary>
    public event Action<CircuitBreakerEvent>? StateTransition { add => _channels.Change((int)CircuitBreakerEventType.StateTransition, value, true); remove => _channels.Change((int)CircuitBreakerEventType.StateTransition, value, false); }

    /// <summary>Occurs when the breaker is reset.</summary>
    public event Action<CircuitBreakerEvent>? Reset { add => _channels.Change((int)CircuitBreakerEventType.Reset, value, true); remove => _channels.Change((int)CircuitBreakerEventType.Reset, value, false); }

    /// <summary>Occurs when the failure rate reaches its threshold.</summary>
    public event Action<CircuitBreakerEvent>? FailureRateExceeded { add => _channels.Change((int)CircuitBreakerEventType.FailureRateExceeded, value, true); remove => _channels.Change((int)CircuitBreakerEventType.FailureRateExceeded, value, false); }

    /// <summary>Occurs when the slow-call rate reaches its threshold.</summary>
    public event Action<CircuitBreakerEvent>? SlowCallRateExceeded { add => _channels.Change((int)CircuitBreakerEventType.SlowCallRateExceeded, value, true); remove => _channels.Change((int)CircuitBreakerEventType.SlowCallRateExceeded, value, false); }

    internal bool IsSubscribed(CircuitBreakerEventType type) => _channels.IsSubscribed((int)type);

    internal void Publish(in CircuitBreakerEvent args) => _channels.Publish(args, (int)args.EventType);
}
