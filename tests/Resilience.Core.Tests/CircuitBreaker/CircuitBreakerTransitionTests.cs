using Microsoft.Extensions.Time.Testing;
using Resilience.Tests.Support;
using static Resilience.Tests.CircuitBreaker.CircuitBreakerTestSupport;

namespace Resilience.Tests.CircuitBreaker;

public class CircuitBreakerTransitionTests
{
    private const CircuitBreakerState C = CircuitBreakerState.Closed;
    private const CircuitBreakerState O = CircuitBreakerState.Open;
    private const CircuitBreakerState H = CircuitBreakerState.HalfOpen;
    private const CircuitBreakerState D = CircuitBreakerState.Disabled;
    private const CircuitBreakerState F = CircuitBreakerState.ForcedOpen;
    private const CircuitBreakerState M = CircuitBreakerState.MetricsOnly;

    private readonly FakeTimeProvider _time = new();

    public static TheoryData<CircuitBreakerState, CircuitBreakerState, bool> TransitionTable
    {
        get
        {
            var data = new TheoryData<CircuitBreakerState, CircuitBreakerState, bool>();
            foreach (CircuitBreakerState from in AllStates)
            {
                foreach (CircuitBreakerState to in AllStates)
                {
                    bool illegal = (from == C && to == H) || (from == M && to is O or H);
                    data.Add(from, to, !illegal);
                }
            }

            return data;
        }
    }

    [Fact]
    public void TransitionTable_HasThirtySixRowsAndThreeIllegal()
    {
        TransitionTable.Should().HaveCount(36);
        TransitionTable.Count(row => !(bool)row[2]).Should().Be(3);
    }

    [Theory]
    [MemberData(nameof(TransitionTable))]
    public void Transition_EveryPairOfStates_FollowsLegalTransitionTable(CircuitBreakerState from, CircuitBreakerState to, bool legal)
    {
        var breaker = Create(_time, new CircuitBreakerOptions(), "cb-name");
        MoveTo(breaker, from);
        var events = new EventRecorder(breaker);

        Action transition = () => Transition(breaker, to);

        if (!legal)
        {
            IllegalStateTransitionException ex = transition.Should().Throw<IllegalStateTransitionException>().Which;
            ex.Message.Should().Be($"Circuit breaker 'cb-name' tried an illegal state transition from {from} to {to}.");
            ex.CircuitBreakerName.Should().Be("cb-name");
            ex.FromState.Should().Be(from);
            ex.ToState.Should().Be(to);
            breaker.State.Should().Be(from);
            events.Events.Should().BeEmpty();
            return;
        }

        transition.Should().NotThrow();
        breaker.State.Should().Be(to);
        if (from == to)
        {
            events.Events.Should().BeEmpty("a same-state transition publishes no event");
        }
        else
        {
            CircuitBreakerEvent single = events.Events.Should().ContainSingle().Which;
            single.EventType.Should().Be(CircuitBreakerEventType.StateTransition);
            single.FromState.Should().Be(from);
            single.ToState.Should().Be(to);
            single.CircuitBreakerName.Should().Be("cb-name");
        }
    }

    [Theory]
    [InlineData(CircuitBreakerState.Closed)]
    [InlineData(CircuitBreakerState.MetricsOnly)]
    public void TransitionToSameState_ClosedOrMetricsOnly_ClearsWindow(CircuitBreakerState state)
    {
        var breaker = Create(_time, CountWindow(10, 10));
        MoveTo(breaker, state);
        breaker.RecordFailures(3);
        breaker.RecordSuccesses(2);
        breaker.GetMetrics().NumberOfBufferedCalls.Should().Be(5);

        Transition(breaker, state);

        breaker.State.Should().Be(state);
        breaker.GetMetrics().NumberOfBufferedCalls.Should().Be(0);
        breaker.GetMetrics().NumberOfFailedCalls.Should().Be(0);
    }

    [Fact]
    public void TransitionToOpenState_WhileOpen_AdvancesAttemptAndRestartsWait()
    {
        var attempts = new List<int>();
        var breaker = Create(_time, new CircuitBreakerOptions
        {
            WaitIntervalFunctionInOpenState = a => { attempts.Add(a); return TimeSpan.FromSeconds(10 * a); },
        });
        breaker.TransitionToOpenState();
        _time.Advance(TimeSpan.FromSeconds(5));

        breaker.TransitionToOpenState();

        attempts.Should().Equal(1, 2);
        breaker.State.Should().Be(CircuitBreakerState.Open);
        breaker.Rejection().RetryAfter.Should().Be(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public void TransitionToHalfOpenState_WhileHalfOpen_RestoresAllPermits()
    {
        var breaker = Create(_time, new CircuitBreakerOptions { PermittedNumberOfCallsInHalfOpenState = 2 });
        MoveTo(breaker, CircuitBreakerState.HalfOpen);
        breaker.TryAcquirePermission(out _).Should().BeTrue();
        breaker.TryAcquirePermission(out _).Should().BeTrue();
        breaker.TryAcquirePermission(out _).Should().BeFalse();

        breaker.TransitionToHalfOpenState();

        breaker.TryAcquirePermission(out _).Should().BeTrue();
        breaker.TryAcquirePermission(out _).Should().BeTrue();
        breaker.TryAcquirePermission(out _).Should().BeFalse();
    }

    [Fact]
    public void TransitionToForcedOpenState_WhileForcedOpen_ResetsNotPermittedCount()
    {
        var breaker = Create(_time);
        MoveTo(breaker, CircuitBreakerState.ForcedOpen);
        breaker.TryAcquirePermission(out _).Should().BeFalse();
        breaker.GetMetrics().NumberOfNotPermittedCalls.Should().Be(1);

        breaker.TransitionToForcedOpenState();

        breaker.GetMetrics().NumberOfNotPermittedCalls.Should().Be(0);
    }

    [Fact]
    public void TransitionToOpenStateFor_FromClosed_RejectsUntilDurationElapsed()
    {
        var breaker = Create(_time);

        breaker.TransitionToOpenStateFor(TimeSpan.FromSeconds(7));

        breaker.State.Should().Be(CircuitBreakerState.Open);
        breaker.Rejection().RetryAfter.Should().Be(TimeSpan.FromSeconds(7));
        _time.Advance(TimeSpan.FromSeconds(7) - TimeSpan.FromTicks(1));
        breaker.TryAcquirePermission(out _).Should().BeFalse();
        _time.Advance(TimeSpan.FromTicks(1));
        breaker.TryAcquirePermission(out _).Should().BeTrue();
        breaker.State.Should().Be(CircuitBreakerState.HalfOpen);
    }

    [Fact]
    public void TransitionToOpenStateFor_AfterFailedTrial_DoesNotAdvanceAttempts()
    {
        var attempts = new List<int>();
        var breaker = Create(_time, new CircuitBreakerOptions
        {
            WaitIntervalFunctionInOpenState = a => { attempts.Add(a); return TimeSpan.FromSeconds(10 * a); },
        });
        breaker.TransitionToOpenState();          // attempt 1
        breaker.TransitionToHalfOpenState();      // keeps attempt 1

        breaker.TransitionToOpenStateFor(TimeSpan.FromSeconds(3)); // explicit wait, attempt stays 1
        breaker.Rejection().RetryAfter.Should().Be(TimeSpan.FromSeconds(3));
        breaker.TransitionToHalfOpenState();
        breaker.TransitionToOpenState();          // attempt 2, not 3

        attempts.Should().Equal(1, 2);
        breaker.Rejection().RetryAfter.Should().Be(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public void TransitionToOpenStateUntil_FutureDeadline_RetryAfterReflectsDeadline()
    {
        var breaker = Create(_time);
        DateTimeOffset deadline = _time.GetUtcNow() + TimeSpan.FromSeconds(42);

        breaker.TransitionToOpenStateUntil(deadline);

        breaker.Rejection().RetryAfter.Should().Be(TimeSpan.FromSeconds(42));
        _time.Advance(TimeSpan.FromSeconds(40));
        breaker.Rejection().RetryAfter.Should().Be(TimeSpan.FromSeconds(2));
        _time.Advance(TimeSpan.FromSeconds(2));
        breaker.TryAcquirePermission(out _).Should().BeTrue();
        breaker.State.Should().Be(CircuitBreakerState.HalfOpen);
    }

    [Fact]
    public void TransitionToOpenStateUntil_DoesNotAdvanceAttempts()
    {
        var attempts = new List<int>();
        var breaker = Create(_time, new CircuitBreakerOptions
        {
            WaitIntervalFunctionInOpenState = a => { attempts.Add(a); return TimeSpan.FromSeconds(10 * a); },
        });

        breaker.TransitionToOpenStateUntil(_time.GetUtcNow() + TimeSpan.FromSeconds(1));
        breaker.TransitionToHalfOpenState();
        breaker.TransitionToOpenState();

        attempts.Should().Equal(1);
        breaker.Rejection().RetryAfter.Should().Be(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void TransitionToOpenStateUntil_PastDeadline_EndsWaitAtOnce()
    {
        var breaker = Create(_time);

        breaker.TransitionToOpenStateUntil(_time.GetUtcNow() - TimeSpan.FromSeconds(5));

        breaker.State.Should().Be(CircuitBreakerState.Open, "the move to half-open is lazy");
        breaker.TryAcquirePermission(out _).Should().BeTrue();
        breaker.State.Should().Be(CircuitBreakerState.HalfOpen);
    }

    [Fact]
    public void TransitionToOpenStateUntil_PastDeadlineWithAutomaticTransition_MovesToHalfOpenAtOnce()
    {
        var breaker = Create(_time, new CircuitBreakerOptions { AutomaticTransitionFromOpenToHalfOpenEnabled = true });
        var events = new EventRecorder(breaker);

        breaker.TransitionToOpenStateUntil(_time.GetUtcNow() - TimeSpan.FromSeconds(5));

        breaker.State.Should().Be(CircuitBreakerState.HalfOpen);
        events.OfType(CircuitBreakerEventType.StateTransition).Select(e => (e.FromState, e.ToState))
            .Should().Equal((C, O), (O, H));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1000)]
    public void TransitionToOpenStateFor_DurationBelowOneMillisecond_Throws(long milliseconds)
    {
        var breaker = Create(_time);

        Action transition = () => breaker.TransitionToOpenStateFor(TimeSpan.FromMilliseconds(milliseconds));

        transition.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("duration");
        breaker.State.Should().Be(CircuitBreakerState.Closed);
    }

    [Fact]
    public void TransitionToOpenStateFor_DurationAboveMaximum_Throws()
    {
        var breaker = Create(_time);

        Action transition = () => breaker.TransitionToOpenStateFor(TimeSpan.FromDays(50));

        transition.Should().Throw<ArgumentOutOfRangeException>();
        breaker.State.Should().Be(CircuitBreakerState.Closed);
    }

    [Fact]
    public void TransitionToOpenStateUntil_DeadlineTooFarAhead_Throws()
    {
        var breaker = Create(_time);

        Action transition = () => breaker.TransitionToOpenStateUntil(_time.GetUtcNow() + TimeSpan.FromDays(50));

        transition.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("until");
        breaker.State.Should().Be(CircuitBreakerState.Closed);
    }

    [Fact]
    public void TransitionToOpenStateForAndUntil_FromMetricsOnly_ThrowIllegalTransition()
    {
        var breaker = Create(_time);
        MoveTo(breaker, CircuitBreakerState.MetricsOnly);

        Action openFor = () => breaker.TransitionToOpenStateFor(TimeSpan.FromSeconds(1));
        Action openUntil = () => breaker.TransitionToOpenStateUntil(_time.GetUtcNow() + TimeSpan.FromSeconds(1));

        openFor.Should().Throw<IllegalStateTransitionException>();
        openUntil.Should().Throw<IllegalStateTransitionException>();
        breaker.State.Should().Be(CircuitBreakerState.MetricsOnly);
    }

    [Theory]
    [InlineData(CircuitBreakerState.Closed)]
    [InlineData(CircuitBreakerState.Open)]
    [InlineData(CircuitBreakerState.HalfOpen)]
    [InlineData(CircuitBreakerState.Disabled)]
    [InlineData(CircuitBreakerState.ForcedOpen)]
    [InlineData(CircuitBreakerState.MetricsOnly)]
    public void Reset_FromEveryState_ClosesAndPublishesResetAndTransitionIfNotClosed(CircuitBreakerState from)
    {
        var breaker = Create(_time, CountWindow(10, 10), "reset-me");
        breaker.RecordFailures(3);
        MoveTo(breaker, from);
        var events = new EventRecorder(breaker);

        breaker.Reset();

        breaker.State.Should().Be(CircuitBreakerState.Closed);
        breaker.GetMetrics().NumberOfBufferedCalls.Should().Be(0);
        if (from == CircuitBreakerState.Closed)
        {
            events.Types.Should().Equal(CircuitBreakerEventType.Reset);
        }
        else
        {
            events.Types.Should().Equal(CircuitBreakerEventType.StateTransition, CircuitBreakerEventType.Reset);
            events.Events[0].FromState.Should().Be(from);
            events.Events[0].ToState.Should().Be(CircuitBreakerState.Closed);
        }

        events.Events[^1].CircuitBreakerName.Should().Be("reset-me");
    }

    [Fact]
    public void Reset_WhileClosedWithFailures_ClearsWindow()
    {
        var breaker = Create(_time, CountWindow(4, 4));
        breaker.RecordFailures(1);
        breaker.RecordSuccesses(2);

        breaker.Reset();
        breaker.RecordFailures(1);

        // Had the window not been cleared, the fourth call would make 2 of 4 = 50% and open the breaker.
        breaker.State.Should().Be(CircuitBreakerState.Closed);
        breaker.GetMetrics().NumberOfBufferedCalls.Should().Be(1);
    }

    [Theory]
    [InlineData(CircuitBreakerState.Open)]
    [InlineData(CircuitBreakerState.Closed)]
    public void Reset_WhileHalfOpenWithMaxWaitTimer_CancelsTimer(CircuitBreakerState afterWait)
    {
        var breaker = Create(_time, new CircuitBreakerOptions
        {
            MaxWaitDurationInHalfOpenState = TimeSpan.FromSeconds(5),
            TransitionToStateAfterWaitDuration = afterWait,
        });
        MoveTo(breaker, CircuitBreakerState.HalfOpen);
        breaker.Reset();
        var events = new EventRecorder(breaker);

        _time.Advance(TimeSpan.FromSeconds(30));

        breaker.State.Should().Be(CircuitBreakerState.Closed);
        events.Events.Should().BeEmpty("the half-open timer of the replaced state must not fire");
    }

    [Fact]
    public void Reset_WhileOpenWithAutomaticTransition_CancelsOpenTimer()
    {
        var breaker = Create(_time, new CircuitBreakerOptions
        {
            AutomaticTransitionFromOpenToHalfOpenEnabled = true,
            WaitDurationInOpenState = TimeSpan.FromSeconds(5),
        });
        breaker.TransitionToOpenState();
        breaker.Reset();
        var events = new EventRecorder(breaker);

        _time.Advance(TimeSpan.FromSeconds(30));

        breaker.State.Should().Be(CircuitBreakerState.Closed);
        events.Events.Should().BeEmpty();
    }

    [Fact]
    public void TransitionToClosedState_WhileHalfOpenWithMaxWaitTimer_CancelsTimer()
    {
        var breaker = Create(_time, new CircuitBreakerOptions { MaxWaitDurationInHalfOpenState = TimeSpan.FromSeconds(5) });
        MoveTo(breaker, CircuitBreakerState.HalfOpen);
        breaker.TransitionToClosedState();

        _time.Advance(TimeSpan.FromSeconds(30));

        breaker.State.Should().Be(CircuitBreakerState.Closed);
    }

    [Fact]
    public void TransitionToDisabledState_WhileOpenWithAutomaticTransition_CancelsOpenTimer()
    {
        var breaker = Create(_time, new CircuitBreakerOptions
        {
            AutomaticTransitionFromOpenToHalfOpenEnabled = true,
            WaitDurationInOpenState = TimeSpan.FromSeconds(5),
        });
        breaker.TransitionToOpenState();
        breaker.TransitionToDisabledState();

        _time.Advance(TimeSpan.FromSeconds(30));

        breaker.State.Should().Be(CircuitBreakerState.Disabled);
    }

    [Fact]
    public void TransitionToOpenStateFor_MaximumDuration_IsAccepted()
    {
        var breaker = Create(_time);
        TimeSpan max = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

        breaker.TransitionToOpenStateFor(max);

        breaker.Rejection().RetryAfter.Should().Be(max);
    }

    [Fact]
    public void TransitionToOpenStateFor_MinimumDuration_IsAccepted()
    {
        var breaker = Create(_time);

        breaker.TransitionToOpenStateFor(TimeSpan.FromMilliseconds(1));

        breaker.Rejection().RetryAfter.Should().Be(TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public void TransitionToOpenStateUntil_ExactlyTheMaximumAhead_IsAccepted()
    {
        var breaker = Create(_time);
        TimeSpan max = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

        breaker.TransitionToOpenStateUntil(_time.GetUtcNow() + max);

        breaker.Rejection().RetryAfter.Should().Be(max);
    }

    [Fact]
    public void TransitionToOpenState_AfterForcedOpen_CountsTheForcedOpenAsAnAttempt()
    {
        var attempts = new List<int>();
        var breaker = Create(_time, new CircuitBreakerOptions { WaitIntervalFunctionInOpenState = a => { attempts.Add(a); return TimeSpan.FromSeconds(a); } });

        breaker.TransitionToForcedOpenState();
        breaker.TransitionToOpenState();

        attempts.Should().Equal([2], "Resilience4j's forced-open state takes the attempt after the closed state's");
        breaker.Rejection().RetryAfter.Should().Be(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void Transitions_LeavingAStateWithATimer_DisposeThatTimer()
    {
        var timers = new CountingTimers(_time);
        var breaker = new Resilience.CircuitBreaker("timers", new CircuitBreakerOptions
        {
            AutomaticTransitionFromOpenToHalfOpenEnabled = true,
            MaxWaitDurationInHalfOpenState = TimeSpan.FromSeconds(5),
        }, timers);

        breaker.TransitionToOpenState();
        timers.Live.Should().Be(1);
        breaker.Reset();
        timers.Live.Should().Be(0, "a reset disposes the open state's timer");
        breaker.TransitionToOpenState();
        breaker.TransitionToHalfOpenState();
        timers.Live.Should().Be(1, "the open state's timer went with it; the half-open state has its own");
        breaker.TransitionToClosedState();
        timers.Live.Should().Be(0);
    }
}
