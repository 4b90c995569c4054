using Microsoft.Extensions.Time.Testing;
using static Resilience.Tests.CircuitBreaker.CircuitBreakerTestSupport;

namespace Resilience.Tests.CircuitBreaker;

public class CircuitBreakerStateBehaviourTests
{
    private static readonly TimeSpan SlowThreshold = TimeSpan.FromSeconds(1);
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Closed_FailureRateEqualToThreshold_Opens()
    {
        var breaker = Create(_time, CountWindow(4, 4));

        breaker.RecordSuccesses(2);
        breaker.RecordFailures(1);
        breaker.State.Should().Be(CircuitBreakerState.Closed);
        breaker.RecordFailures(1);

        breaker.State.Should().Be(CircuitBreakerState.Open);
    }

    [Fact]
    public void Closed_FailureRateJustBelowThreshold_StaysClosed()
    {
        var breaker = Create(_time, CountWindow(5, 5));

        breaker.RecordSuccesses(3);
        breaker.RecordFailures(2); // 40% < 50%

        breaker.State.Should().Be(CircuitBreakerState.Closed);
        breaker.GetMetrics().FailureRate.Should().Be(40f);
    }

    [Fact]
    public void Closed_FailuresBelowMinimumNumberOfCalls_DoNotOpen()
    {
        var breaker = Create(_time, CountWindow(10, 5));

        breaker.RecordFailures(4);
        breaker.State.Should().Be(CircuitBreakerState.Closed);
        breaker.RecordFailures(1);

        breaker.State.Should().Be(CircuitBreakerState.Open);
    }

    [Fact]
    public void Closed_CountWindowSmallerThanMinimum_UsesWindowSizeAsMinimum()
    {
        var breaker = Create(_time, CountWindow(3, 10));

        breaker.RecordFailures(2);
        breaker.State.Should().Be(CircuitBreakerState.Closed);
        breaker.RecordFailures(1);

        breaker.State.Should().Be(CircuitBreakerState.Open);
    }

    [Fact]
    public void Closed_TimeWindowSmallerThanMinimum_DoesNotClampMinimum()
    {
        var breaker = Create(_time, new CircuitBreakerOptions
        {
            SlidingWindowType = SlidingWindowType.TimeBased,
            SlidingWindowSize = 2,
            MinimumNumberOfCalls = 5,
        });

        breaker.RecordFailures(4);
        breaker.State.Should().Be(CircuitBreakerState.Closed);
        breaker.RecordFailures(1);

        breaker.State.Should().Be(CircuitBreakerState.Open);
    }

    [Fact]
    public void Closed_TimeWindowFailuresOlderThanWindow_DoNotCount()
    {
        var breaker = Create(_time, new CircuitBreakerOptions
        {
            SlidingWindowType = SlidingWindowType.TimeBased,
            SlidingWindowSize = 2,
            MinimumNumberOfCalls = 2,
        });

        breaker.RecordFailures(1);
        _time.Advance(TimeSpan.FromSeconds(2));
        breaker.RecordFailures(1);

        breaker.State.Should().Be(CircuitBreakerState.Closed);
        breaker.GetMetrics().NumberOfBufferedCalls.Should().Be(1);
    }

    private static CircuitBreakerOptions SlowOptions() => new()
    {
        SlidingWindowSize = 2,
        MinimumNumberOfCalls = 2,
        SlowCallDurationThreshold = SlowThreshold,
        SlowCallRateThreshold = 50f,
        FailureRateThreshold = 100f,
    };

    [Fact]
    public void RecordSuccess_DurationEqualToSlowThreshold_IsNotSlow()
    {
        var breaker = Create(_time, SlowOptions());

        breaker.RecordSuccesses(2, SlowThreshold);

        breaker.State.Should().Be(CircuitBreakerState.Closed);
        breaker.GetMetrics().NumberOfSlowCalls.Should().Be(0);
        breaker.GetMetrics().SlowCallRate.Should().Be(0f);
    }

    [Fact]
    public void RecordSuccess_DurationOneTickAboveSlowThreshold_IsSlowAndOpens()
    {
        var breaker = Create(_time, SlowOptions());

        breaker.RecordSuccess(TimeSpan.Zero);
        breaker.RecordSuccess(SlowThreshold + TimeSpan.FromTicks(1));

        breaker.State.Should().Be(CircuitBreakerState.Open);
        breaker.GetMetrics().NumberOfSlowCalls.Should().Be(1);
        breaker.GetMetrics().NumberOfSlowSuccessfulCalls.Should().Be(1);
    }

    [Fact]
    public void RecordFailure_DurationEqualToSlowThreshold_IsNotSlow()
    {
        var breaker = Create(_time, SlowOptions());

        breaker.RecordSuccess(TimeSpan.Zero);
        breaker.RecordFailure(SlowThreshold, new InvalidOperationException());

        breaker.State.Should().Be(CircuitBreakerState.Closed);
        breaker.GetMetrics().NumberOfSlowCalls.Should().Be(0);
        breaker.GetMetrics().NumberOfFailedCalls.Should().Be(1);
    }

    [Fact]
    public void RecordFailure_DurationAboveSlowThreshold_IsSlowFailureAndOpens()
    {
        var breaker = Create(_time, SlowOptions());

        breaker.RecordSuccess(TimeSpan.Zero);
        breaker.RecordFailure(SlowThreshold + TimeSpan.FromTicks(1), new InvalidOperationException());

        breaker.State.Should().Be(CircuitBreakerState.Open, "slow rate 50% >= 50%, failure rate 50% < 100%");
        breaker.GetMetrics().NumberOfSlowFailedCalls.Should().Be(1);
        breaker.GetMetrics().NumberOfSlowSuccessfulCalls.Should().Be(0);
    }

    [Fact]
    public void Execute_CallTakesExactlySlowThreshold_IsNotSlow()
    {
        var breaker = Create(_time, SlowOptions());

        for (int i = 0; i < 2; i++)
        {
            breaker.Execute(() => { _time.Advance(SlowThreshold); return i; });
        }

        breaker.State.Should().Be(CircuitBreakerState.Closed);
        breaker.GetMetrics().NumberOfSlowCalls.Should().Be(0);
    }

    [Fact]
    public void Execute_CallLongerThanSlowThreshold_IsSlowAndOpens()
    {
        var breaker = Create(_time, SlowOptions());

        breaker.Execute(() => 0);
        breaker.Execute(() => { _time.Advance(SlowThreshold + TimeSpan.FromTicks(1)); return 1; });

        breaker.State.Should().Be(CircuitBreakerState.Open);
        breaker.GetMetrics().NumberOfSlowCalls.Should().Be(1);
    }

    [Fact]
    public void Execute_FailingCallLongerThanSlowThreshold_IsSlowFailure()
    {
        var breaker = Create(_time, SlowOptions());

        Action slowFailure = () => breaker.Execute(() => { _time.Advance(TimeSpan.FromSeconds(2)); throw new InvalidOperationException(); });
        slowFailure.Should().Throw<InvalidOperationException>();

        breaker.GetMetrics().NumberOfSlowFailedCalls.Should().Be(1);
    }

    [Fact]
    public void Open_TryAcquirePermission_RejectsAndCountsNotPermittedCalls()
    {
        var breaker = Create(_time, CountWindow(1, 1));
        breaker.RecordFailures(1);
        int executed = 0;

        breaker.TryAcquirePermission(out _).Should().BeFalse();
        breaker.TryAcquirePermission(out _).Should().BeFalse();
        Action call = () => breaker.Execute(() => executed++);
        call.Should().Throw<CallNotPermittedException>();

        executed.Should().Be(0);
        breaker.GetMetrics().NumberOfNotPermittedCalls.Should().Be(3);
    }

    [Fact]
    public void Open_WaitElapsedWithoutAutomaticTransition_StaysOpenUntilPermissionRequested()
    {
        var breaker = Create(_time, new CircuitBreakerOptions { WaitDurationInOpenState = TimeSpan.FromSeconds(10), PermittedNumberOfCallsInHalfOpenState = 2 });
        breaker.TransitionToOpenState();

        _time.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromTicks(1));
        breaker.TryAcquirePermission(out _).Should().BeFalse();
        _time.Advance(TimeSpan.FromSeconds(50));

        breaker.State.Should().Be(CircuitBreakerState.Open);
        breaker.TryAcquirePermission(out _).Should().BeTrue();
        breaker.State.Should().Be(CircuitBreakerState.HalfOpen);
        breaker.TryAcquirePermission(out _).Should().BeTrue("the moving call took one of two trial permits");
        breaker.TryAcquirePermission(out _).Should().BeFalse();
    }

    [Fact]
    public void Open_AutomaticTransitionEnabled_MovesToHalfOpenAtDeadline()
    {
        var breaker = Create(_time, new CircuitBreakerOptions
        {
            WaitDurationInOpenState = TimeSpan.FromSeconds(10),
            AutomaticTransitionFromOpenToHalfOpenEnabled = true,
            PermittedNumberOfCallsInHalfOpenState = 2,
        });
        breaker.TransitionToOpenState();

        _time.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromTicks(1));
        breaker.State.Should().Be(CircuitBreakerState.Open);
        _time.Advance(TimeSpan.FromTicks(1));

        breaker.State.Should().Be(CircuitBreakerState.HalfOpen);
        breaker.TryAcquirePermission(out _).Should().BeTrue();
        breaker.TryAcquirePermission(out _).Should().BeTrue("the timer took no permit");
        breaker.TryAcquirePermission(out _).Should().BeFalse();
    }

    [Fact]
    public void Closed_TimeWindowSlidOutSuccessesAfterMetricsRead_NextSuccessStillTrips()
    {
        var breaker = Create(_time, new CircuitBreakerOptions
        {
            SlidingWindowType = SlidingWindowType.TimeBased,
            SlidingWindowSize = 2,
            MinimumNumberOfCalls = 2,
        });
        breaker.RecordSuccesses(3);                    // second 0
        _time.Advance(TimeSpan.FromSeconds(1));
        breaker.RecordFailures(2);                     // second 1: 2 of 5 = 40%, stays closed
        breaker.State.Should().Be(CircuitBreakerState.Closed);
        _time.Advance(TimeSpan.FromSeconds(1));        // second 2: the three successes leave the window

        breaker.GetMetrics().FailureRate.Should().Be(100f); // a metrics reader (e.g. an exporter) slides the window
        breaker.RecordSuccesses(1);                    // window: F, F, S = 66.7% >= 50%

        breaker.GetMetrics().FailureRate.Should().Be(66.666664f);
        breaker.State.Should().Be(CircuitBreakerState.Open, "Resilience4j evaluates the thresholds after every recorded call");
    }

    [Fact]
    public void Closed_TimeWindowSlidOutSuccessesWithoutMetricsRead_NextSuccessTrips()
    {
        var breaker = Create(_time, new CircuitBreakerOptions
        {
            SlidingWindowType = SlidingWindowType.TimeBased,
            SlidingWindowSize = 2,
            MinimumNumberOfCalls = 2,
        });
        breaker.RecordSuccesses(3);
        _time.Advance(TimeSpan.FromSeconds(1));
        breaker.RecordFailures(2);
        _time.Advance(TimeSpan.FromSeconds(1));

        breaker.RecordSuccesses(1);

        breaker.State.Should().Be(CircuitBreakerState.Open);
    }
}
