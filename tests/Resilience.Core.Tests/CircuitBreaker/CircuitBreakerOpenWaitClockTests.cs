using Microsoft.Extensions.Time.Testing;
using Breaker = Resilience.CircuitBreaker;

namespace Resilience.Tests.CircuitBreaker;

/// <summary>The open wait ends at the first call at or after the deadline, by the clock, whether or not the state's timer has run.</summary>
public class CircuitBreakerOpenWaitClockTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromMilliseconds(50);

    [Fact]
    public void TryAcquirePermission_TimerNeverFires_AdmittedAtTheDeadline()
    {
        var time = new TimersNeverFire();
        Breaker breaker = Open(time);

        time.Advance(Wait - TimeSpan.FromTicks(1));
        breaker.TryAcquirePermission(out _).Should().BeFalse("the wait is not over");
        breaker.IsCallPermitted.Should().BeFalse();

        time.Advance(TimeSpan.FromTicks(1));
        breaker.IsCallPermitted.Should().BeTrue("the deadline has come, though no timer ran");
        breaker.TryAcquirePermission(out CircuitBreakerPermit permit).Should().BeTrue();
        breaker.State.Should().Be(CircuitBreakerState.HalfOpen);
        permit.RecordSuccess();
    }

    [Fact]
    public void TryAcquirePermission_TimerFiresBeforeTheClockReachesTheDeadline_Admitted()
    {
        var time = new TimersFiredByHand();
        Breaker breaker = Open(time);
        time.Advance(Wait - TimeSpan.FromMilliseconds(1));
        breaker.IsCallPermitted.Should().BeFalse("neither the clock nor the timer says the wait is over");

        time.FireTimers();

        breaker.IsCallPermitted.Should().BeTrue("the state's timer has run (a coarse timer may run a little early)");
        breaker.TryAcquirePermission(out CircuitBreakerPermit permit).Should().BeTrue();
        breaker.State.Should().Be(CircuitBreakerState.HalfOpen);
        permit.Release();
    }

    [Fact]
    public void CallNotPermittedException_RetryAfter_AgreesWithTheClock()
    {
        var time = new TimersNeverFire();
        Breaker breaker = Open(time);
        time.Advance(TimeSpan.FromMilliseconds(20));

        CallNotPermittedException early = Assert.Throws<CallNotPermittedException>(() => breaker.AcquirePermission());
        early.RetryAfter.Should().Be(TimeSpan.FromMilliseconds(30));

        time.Advance(TimeSpan.FromMilliseconds(30));
        breaker.TryAcquirePermission(out CircuitBreakerPermit permit).Should().BeTrue("RetryAfter said 30 ms, and 30 ms have passed");
        permit.Release();
    }

    [Fact]
    public void State_AutomaticTransitionAndTimerNeverFires_StillOpenUntilACallComes()
    {
        var time = new TimersNeverFire();
        Breaker breaker = Open(time, automatic: true);
        time.Advance(Wait);

        breaker.State.Should().Be(CircuitBreakerState.Open, "the automatic move is the timer's; without it the next call moves the breaker");
        breaker.TryAcquirePermission(out CircuitBreakerPermit permit).Should().BeTrue();
        breaker.State.Should().Be(CircuitBreakerState.HalfOpen);
        permit.Release();
    }

    [Fact]
    public void TransitionToOpenStateUntil_PastInstantWithAutomaticTransition_HalfOpenAtOnceWithoutATimer()
    {
        var time = new TimersNeverFire();
        var breaker = new Breaker("clock", new CircuitBreakerOptions { AutomaticTransitionFromOpenToHalfOpenEnabled = true }, time);

        breaker.TransitionToOpenStateUntil(time.GetUtcNow() - TimeSpan.FromSeconds(1));

        breaker.State.Should().Be(CircuitBreakerState.HalfOpen, "a wait of zero ends at once, not on a timer");
    }

    [Fact]
    public void TryAcquirePermission_NanosecondClock_AdmittedAtTheDeadline()
    {
        var time = new TimersNeverFire(frequency: 1_000_000_000);
        Breaker breaker = Open(time);

        time.Advance(Wait - TimeSpan.FromTicks(1));
        breaker.IsCallPermitted.Should().BeFalse("the wait is counted in nanoseconds, not cut short");
        Assert.Throws<CallNotPermittedException>(() => breaker.AcquirePermission()).RetryAfter.Should().Be(TimeSpan.FromTicks(1));

        time.Advance(TimeSpan.FromTicks(1));
        breaker.IsCallPermitted.Should().BeTrue();
    }

    [Fact]
    public void TryAcquirePermission_ClockNearItsLargestReading_DeadlineSaturatesInsteadOfWrapping()
    {
        var time = new TimersNeverFire(origin: long.MaxValue - TimeSpan.FromDays(1).Ticks);
        var breaker = new Breaker("clock", new CircuitBreakerOptions(), time);

        breaker.TransitionToOpenStateFor(TimeSpan.FromDays(30));
        time.Advance(TimeSpan.FromHours(12));

        breaker.IsCallPermitted.Should().BeFalse("a deadline past the clock's last reading is never reached by the clock");
    }

    private static Breaker Open(TimeProvider time, bool automatic = false)
    {
        var breaker = new Breaker("clock", new CircuitBreakerOptions
        {
            WaitDurationInOpenState = Wait,
            AutomaticTransitionFromOpenToHalfOpenEnabled = automatic,
            PermittedNumberOfCallsInHalfOpenState = 1,
        }, time);
        breaker.TransitionToOpenState();
        return breaker;
    }

    /// <summary>A fake clock whose timers fire only when the test says so, whatever the clock reads.</summary>
    private sealed class TimersFiredByHand : TimeProvider
    {
        private readonly FakeTimeProvider _clock = new();
        private readonly List<(TimerCallback Callback, object? State)> _timers = [];

        public override long TimestampFrequency => _clock.TimestampFrequency;

        public override long GetTimestamp() => _clock.GetTimestamp();

        public override DateTimeOffset GetUtcNow() => _clock.GetUtcNow();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            _timers.Add((callback, state));
            return new TimersNeverFire.InertTimer();
        }

        public void Advance(TimeSpan delta) => _clock.Advance(delta);

        public void FireTimers()
        {
            foreach ((TimerCallback callback, object? state) in _timers.ToArray())
            {
                callback(state);
            }
        }
    }

    /// <summary>A fake clock whose timers are created but never fire: a thread pool too busy to run them. Its timestamps count at <c>frequency</c>, from <c>origin</c>.</summary>
    private sealed class TimersNeverFire(long frequency = TimeSpan.TicksPerSecond, long origin = 0) : TimeProvider
    {
        private readonly FakeTimeProvider _clock = new();

        public override long TimestampFrequency => frequency;

        public override long GetTimestamp() => origin + (long)((Int128)(_clock.GetUtcNow() - _clock.Start).Ticks * frequency / TimeSpan.TicksPerSecond);

        public override DateTimeOffset GetUtcNow() => _clock.GetUtcNow();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) => new InertTimer();

        public void Advance(TimeSpan delta) => _clock.Advance(delta);

        public sealed class InertTimer : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => default;
        }
    }
}
