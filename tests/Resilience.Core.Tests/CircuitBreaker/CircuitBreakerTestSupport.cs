using Microsoft.Extensions.Time.Testing;
using Breaker = Resilience.CircuitBreaker;

namespace Resilience.Tests.CircuitBreaker;

/// <summary>Helpers shared by the circuit breaker tests: building breakers, driving them into a state, recording calls.</summary>
internal static class CircuitBreakerTestSupport
{
    public static readonly TimeSpan Fast = TimeSpan.FromMilliseconds(1);

    public static Breaker Create(FakeTimeProvider time, CircuitBreakerOptions? options = null, string name = "test") =>
        new(name, options, time);

    /// <summary>Options with a window of <paramref name="size"/> calls that decides after <paramref name="minimum"/> calls.</summary>
    public static CircuitBreakerOptions CountWindow(int size, int minimum) => new()
    {
        SlidingWindowSize = size,
        MinimumNumberOfCalls = minimum,
    };

    /// <summary>Moves a breaker that starts closed into <paramref name="state"/> through legal manual transitions.</summary>
    public static void MoveTo(Breaker breaker, CircuitBreakerState state)
    {
        if (state == CircuitBreakerState.HalfOpen)
        {
            breaker.TransitionToOpenState(); // closed cannot move to half-open directly
        }

        Transition(breaker, state);
        breaker.State.Should().Be(state);
    }

    /// <summary>Calls the manual transition method for <paramref name="target"/>.</summary>
    public static void Transition(Breaker breaker, CircuitBreakerState target)
    {
        switch (target)
        {
            case CircuitBreakerState.Closed:
                breaker.TransitionToClosedState();
                break;
            case CircuitBreakerState.Open:
                breaker.TransitionToOpenState();
                break;
            case CircuitBreakerState.HalfOpen:
                breaker.TransitionToHalfOpenState();
                break;
            case CircuitBreakerState.Disabled:
                breaker.TransitionToDisabledState();
                break;
            case CircuitBreakerState.ForcedOpen:
                breaker.TransitionToForcedOpenState();
                break;
            case CircuitBreakerState.MetricsOnly:
                breaker.TransitionToMetricsOnlyState();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(target), target, null);
        }
    }

    /// <summary>Takes a permit, which must be granted, and returns it.</summary>
    public static CircuitBreakerPermit Permit(this Breaker breaker)
    {
        breaker.TryAcquirePermission(out CircuitBreakerPermit permit).Should().BeTrue("the breaker should grant a permit");
        return permit;
    }

    /// <summary>Takes <paramref name="count"/> permits, which must all be granted.</summary>
    public static CircuitBreakerPermit[] Permits(this Breaker breaker, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => breaker.Permit())];

    /// <summary>Completes each permit with a fast success.</summary>
    public static void RecordSuccesses(this IEnumerable<CircuitBreakerPermit> permits)
    {
        foreach (CircuitBreakerPermit permit in permits)
        {
            permit.RecordSuccess(Fast);
        }
    }

    /// <summary>Completes each permit with a fast failure.</summary>
    public static void RecordFailures(this IEnumerable<CircuitBreakerPermit> permits)
    {
        foreach (CircuitBreakerPermit permit in permits)
        {
            permit.RecordFailure(Fast, new InvalidOperationException("failure"));
        }
    }

    /// <summary>Makes one call of <paramref name="duration"/> that succeeds: a permit, then its completion.</summary>
    public static CircuitBreakerCompletion RecordSuccess(this Breaker breaker, TimeSpan duration) =>
        breaker.AcquirePermission().RecordSuccess(duration);

    /// <summary>Makes one call of <paramref name="duration"/> that throws <paramref name="exception"/>: a permit, then its completion.</summary>
    public static CircuitBreakerCompletion RecordFailure(this Breaker breaker, TimeSpan duration, Exception exception) =>
        breaker.AcquirePermission().RecordFailure(duration, exception);

    /// <summary>Makes one call of <paramref name="duration"/> that returns <paramref name="result"/>: a permit, then its completion.</summary>
    public static CircuitBreakerCompletion RecordResult<TResult>(this Breaker breaker, TimeSpan duration, TResult result) =>
        breaker.AcquirePermission().RecordResult(duration, result);

    public static void RecordSuccesses(this Breaker breaker, int count, TimeSpan? duration = null)
    {
        for (int i = 0; i < count; i++)
        {
            breaker.RecordSuccess(duration ?? Fast);
        }
    }

    public static void RecordFailures(this Breaker breaker, int count, TimeSpan? duration = null)
    {
        for (int i = 0; i < count; i++)
        {
            breaker.RecordFailure(duration ?? Fast, new InvalidOperationException("failure " + i));
        }
    }

    /// <summary>Returns the <see cref="CallNotPermittedException"/> thrown by <see cref="Breaker.AcquirePermission"/>.</summary>
    public static CallNotPermittedException Rejection(this Breaker breaker)
    {
        Action acquire = () => breaker.AcquirePermission();
        return acquire.Should().Throw<CallNotPermittedException>().Which;
    }

    public static IReadOnlyList<CircuitBreakerState> AllStates { get; } = Enum.GetValues<CircuitBreakerState>();
}

/// <summary>Records every event a breaker publishes, in order.</summary>
internal sealed class EventRecorder
{
    private readonly List<CircuitBreakerEvent> _events = [];

    public EventRecorder(Breaker breaker) => breaker.Events.Any += _events.Add;

    public IReadOnlyList<CircuitBreakerEvent> Events => _events;

    public IEnumerable<CircuitBreakerEventType> Types => _events.Select(e => e.EventType);

    public IEnumerable<CircuitBreakerEvent> OfType(CircuitBreakerEventType type) => _events.Where(e => e.EventType == type);

    public void Clear() => _events.Clear();
}
