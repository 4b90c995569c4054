using Microsoft.Extensions.Time.Testing;
using Breaker = Resilience.CircuitBreaker;
using static Resilience.Tests.CircuitBreaker.CircuitBreakerTestSupport;

namespace Resilience.Tests.CircuitBreaker;

public class CircuitBreakerMetricsTests
{
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(2);
    private readonly FakeTimeProvider _time = new();

    private static CircuitBreakerOptions NeverTrips(int size, int minimum, SlidingWindowType type = SlidingWindowType.CountBased) => new()
    {
        SlidingWindowType = type,
        SlidingWindowSize = size,
        MinimumNumberOfCalls = minimum,
        FailureRateThreshold = 100f,
        SlowCallRateThreshold = 100f,
        SlowCallDurationThreshold = TimeSpan.FromSeconds(1),
    };

    [Fact]
    public void GetMetrics_NewBreaker_IsEmptyWithRatesMinusOne()
    {
        Breaker breaker = Create(_time);

        CircuitBreakerMetrics metrics = breaker.GetMetrics();

        metrics.FailureRate.Should().Be(-1f);
        metrics.SlowCallRate.Should().Be(-1f);
        metrics.NumberOfBufferedCalls.Should().Be(0);
        metrics.NumberOfFailedCalls.Should().Be(0);
        metrics.NumberOfSuccessfulCalls.Should().Be(0);
        metrics.NumberOfSlowCalls.Should().Be(0);
        metrics.NumberOfNotPermittedCalls.Should().Be(0);
    }

    [Fact]
    public void GetMetrics_BelowMinimumNumberOfCalls_RatesAreMinusOneButCountsAreKept()
    {
        Breaker breaker = Create(_time, NeverTrips(10, 3));
        breaker.RecordFailures(1);
        breaker.RecordSuccesses(1, Slow);

        CircuitBreakerMetrics below = breaker.GetMetrics();
        below.FailureRate.Should().Be(-1f);
        below.SlowCallRate.Should().Be(-1f);
        below.NumberOfBufferedCalls.Should().Be(2);
        below.NumberOfFailedCalls.Should().Be(1);
        below.NumberOfSlowCalls.Should().Be(1);

        breaker.RecordSuccesses(1);

        CircuitBreakerMetrics reached = breaker.GetMetrics();
        reached.FailureRate.Should().Be(33.333332f);
        reached.SlowCallRate.Should().Be(33.333332f);
    }

    [Fact]
    public void GetMetrics_CountWindowSmallerThanMinimum_ComputesRatesOnceWindowIsFull()
    {
        Breaker breaker = Create(_time, NeverTrips(3, 100));

        breaker.RecordSuccesses(2);
        breaker.GetMetrics().FailureRate.Should().Be(-1f);
        breaker.RecordFailures(1);

        breaker.GetMetrics().FailureRate.Should().Be(33.333332f);
    }

    [Fact]
    public void GetMetrics_TimeWindowBelowUnclampedMinimum_RatesAreMinusOne()
    {
        Breaker breaker = Create(_time, NeverTrips(2, 5, SlidingWindowType.TimeBased));

        breaker.RecordFailures(1);
        breaker.RecordSuccesses(3);
        breaker.GetMetrics().FailureRate.Should().Be(-1f);
        breaker.RecordSuccesses(1);

        breaker.GetMetrics().FailureRate.Should().Be(20f);
    }

    [Fact]
    public void GetMetrics_MixedOutcomes_DerivesSuccessfulAndSlowSuccessfulCounts()
    {
        Breaker breaker = Create(_time, NeverTrips(10, 1));

        breaker.RecordSuccesses(3);        // fast successes
        breaker.RecordSuccesses(2, Slow);  // slow successes
        breaker.RecordFailures(1);         // fast failure
        breaker.RecordFailures(2, Slow);   // slow failures

        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        metrics.NumberOfBufferedCalls.Should().Be(8);
        metrics.NumberOfFailedCalls.Should().Be(3);
        metrics.NumberOfSuccessfulCalls.Should().Be(5);
        metrics.NumberOfSlowCalls.Should().Be(4);
        metrics.NumberOfSlowFailedCalls.Should().Be(2);
        metrics.NumberOfSlowSuccessfulCalls.Should().Be(2);
        metrics.FailureRate.Should().Be(37.5f);
        metrics.SlowCallRate.Should().Be(50f);
    }

    [Theory]
    [InlineData(1, 3, 33.333332f)]
    [InlineData(2, 3, 66.666664f)]
    [InlineData(1, 7, 14.285714f)]
    [InlineData(3, 3, 100f)]
    [InlineData(0, 3, 0f)]
    public void GetMetrics_FailureRate_IsExactFloat(int failures, int total, float expected)
    {
        Breaker breaker = Create(_time, NeverTrips(total, total));

        breaker.RecordSuccesses(total - failures);
        breaker.RecordFailures(failures);

        breaker.GetMetrics().FailureRate.Should().Be(expected);
    }

    [Fact]
    public void GetMetrics_CountWindowFull_KeepsOnlyLastNCalls()
    {
        Breaker breaker = Create(_time, NeverTrips(3, 3));

        breaker.RecordFailures(2);
        breaker.RecordSuccesses(1);
        breaker.GetMetrics().FailureRate.Should().Be(66.666664f);
        breaker.RecordSuccesses(2);

        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        metrics.NumberOfBufferedCalls.Should().Be(3);
        metrics.NumberOfFailedCalls.Should().Be(0);
        metrics.FailureRate.Should().Be(0f);
    }

    [Fact]
    public void GetMetrics_CountWindowFailureDisplacesSlowSuccess_UpdatesEveryCount()
    {
        Breaker breaker = Create(_time, NeverTrips(2, 2));

        breaker.RecordSuccesses(1, Slow);
        breaker.RecordSuccesses(1);
        breaker.RecordFailures(1);

        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        metrics.NumberOfBufferedCalls.Should().Be(2);
        metrics.NumberOfSlowCalls.Should().Be(0);
        metrics.NumberOfFailedCalls.Should().Be(1);
        metrics.FailureRate.Should().Be(50f);
    }

    [Fact]
    public void GetMetrics_TimeWindow_DropsCallsOlderThanWindow()
    {
        Breaker breaker = Create(_time, NeverTrips(2, 1, SlidingWindowType.TimeBased));

        breaker.RecordSuccesses(3);
        _time.Advance(TimeSpan.FromSeconds(1));
        breaker.RecordFailures(1);
        breaker.GetMetrics().NumberOfBufferedCalls.Should().Be(4);
        breaker.GetMetrics().FailureRate.Should().Be(25f);

        _time.Advance(TimeSpan.FromSeconds(1));
        breaker.GetMetrics().NumberOfBufferedCalls.Should().Be(1, "the three successes are now two seconds old");
        breaker.GetMetrics().FailureRate.Should().Be(100f);

        _time.Advance(TimeSpan.FromSeconds(1));
        breaker.GetMetrics().NumberOfBufferedCalls.Should().Be(0);
        breaker.GetMetrics().FailureRate.Should().Be(-1f);
    }

    [Fact]
    public void GetMetrics_TimeWindowLongIdleGap_StartsEmpty()
    {
        Breaker breaker = Create(_time, NeverTrips(5, 1, SlidingWindowType.TimeBased));
        CircuitBreakerPermit[] calls = breaker.Permits(3);
        calls[..2].RecordFailures(); // the first one trips the breaker; the window is kept while open

        _time.Advance(TimeSpan.FromHours(2));
        calls[2].RecordSuccess(Fast);

        breaker.GetMetrics().NumberOfBufferedCalls.Should().Be(1);
        breaker.GetMetrics().FailureRate.Should().Be(0f);
    }

    [Fact]
    public void GetMetrics_Open_ShowsWindowThatOpenedIt()
    {
        Breaker breaker = Create(_time, CountWindow(4, 4));
        breaker.RecordSuccesses(2);
        breaker.RecordFailures(2);
        breaker.State.Should().Be(CircuitBreakerState.Open);

        breaker.TryAcquirePermission(out _).Should().BeFalse();

        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        metrics.FailureRate.Should().Be(50f);
        metrics.NumberOfBufferedCalls.Should().Be(4);
        metrics.NumberOfFailedCalls.Should().Be(2);
        metrics.NumberOfNotPermittedCalls.Should().Be(1);
    }

    [Fact]
    public void GetMetrics_Open_InFlightOutcomesAreRecordedIntoInheritedWindow()
    {
        Breaker breaker = Create(_time, CountWindow(10, 2));
        CircuitBreakerPermit[] inFlight = [breaker.Permit(), breaker.Permit()];
        breaker.RecordFailures(2);
        breaker.State.Should().Be(CircuitBreakerState.Open);

        inFlight[0].RecordSuccess(Fast); // calls that were in flight when it tripped
        inFlight[1].RecordSuccess(Fast);

        breaker.State.Should().Be(CircuitBreakerState.Open);
        breaker.GetMetrics().NumberOfBufferedCalls.Should().Be(4);
        breaker.GetMetrics().FailureRate.Should().Be(50f);
    }

    [Fact]
    public void GetMetrics_HalfOpen_HasOwnWindowOfPermittedSize()
    {
        Breaker breaker = Create(_time, new CircuitBreakerOptions
        {
            SlidingWindowSize = 4,
            MinimumNumberOfCalls = 4,
            PermittedNumberOfCallsInHalfOpenState = 3,
            WaitDurationInOpenState = TimeSpan.FromSeconds(1),
            FailureRateThreshold = 70f,
        });
        breaker.RecordFailures(4);
        _time.Advance(TimeSpan.FromSeconds(1));
        CircuitBreakerPermit first = breaker.Permit();
        breaker.State.Should().Be(CircuitBreakerState.HalfOpen);

        CircuitBreakerMetrics fresh = breaker.GetMetrics();
        fresh.NumberOfBufferedCalls.Should().Be(0);
        fresh.FailureRate.Should().Be(-1f);
        fresh.NumberOfNotPermittedCalls.Should().Be(0);

        CircuitBreakerPermit second = breaker.Permit();
        first.RecordFailure(Fast, new InvalidOperationException("trial failed"));
        second.RecordFailure(Fast, new InvalidOperationException("trial failed"));
        breaker.GetMetrics().FailureRate.Should().Be(-1f, "the half-open window needs min(4, 3) = 3 outcomes");
        breaker.GetMetrics().NumberOfBufferedCalls.Should().Be(2);
    }

    [Fact]
    public void GetMetrics_HalfOpenWindow_HoldsAtMostPermittedNumberOfCalls()
    {
        Breaker breaker = Create(_time, new CircuitBreakerOptions { PermittedNumberOfCallsInHalfOpenState = 2, MinimumNumberOfCalls = 2 });
        MoveTo(breaker, CircuitBreakerState.HalfOpen);
        CircuitBreakerPermit first = breaker.Permit();
        _ = breaker.Permit(); // a second trial call, still in flight
        first.RecordFailure(Fast, new InvalidOperationException("trial failed"));

        breaker.GetMetrics().NumberOfBufferedCalls.Should().Be(1);
        breaker.GetMetrics().FailureRate.Should().Be(-1f);
        breaker.TryAcquirePermission(out _).Should().BeFalse();
        breaker.GetMetrics().NumberOfNotPermittedCalls.Should().Be(1);
    }

    [Fact]
    public void GetMetrics_HalfOpenOnTimeBasedBreaker_UsesCountWindow()
    {
        Breaker breaker = Create(_time, new CircuitBreakerOptions
        {
            SlidingWindowType = SlidingWindowType.TimeBased,
            SlidingWindowSize = 10,
            MinimumNumberOfCalls = 100,
            PermittedNumberOfCallsInHalfOpenState = 2,
        });
        MoveTo(breaker, CircuitBreakerState.HalfOpen);
        breaker.Permit().RecordSuccess(Fast);
        _time.Advance(TimeSpan.FromSeconds(30));

        breaker.GetMetrics().NumberOfBufferedCalls.Should().Be(1, "a count window does not forget by time");
    }

    [Fact]
    public void GetMetrics_LeavingOpenForHalfOpen_ResetsNotPermittedCount()
    {
        Breaker breaker = Create(_time, new CircuitBreakerOptions { WaitDurationInOpenState = TimeSpan.FromSeconds(1) });
        breaker.TransitionToOpenState();
        breaker.TryAcquirePermission(out _).Should().BeFalse();
        breaker.TryAcquirePermission(out _).Should().BeFalse();
        breaker.GetMetrics().NumberOfNotPermittedCalls.Should().Be(2);

        _time.Advance(TimeSpan.FromSeconds(1));
        breaker.TryAcquirePermission(out _).Should().BeTrue();

        breaker.GetMetrics().NumberOfNotPermittedCalls.Should().Be(0);
    }

    [Fact]
    public void GetMetrics_AfterClosingFromHalfOpen_IsEmpty()
    {
        Breaker breaker = Create(_time, new CircuitBreakerOptions { PermittedNumberOfCallsInHalfOpenState = 1 });
        MoveTo(breaker, CircuitBreakerState.HalfOpen);
        breaker.Permit().RecordSuccess(Fast);

        breaker.State.Should().Be(CircuitBreakerState.Closed);
        breaker.GetMetrics().NumberOfBufferedCalls.Should().Be(0);
        breaker.GetMetrics().FailureRate.Should().Be(-1f);
    }

    [Theory]
    [InlineData(CircuitBreakerState.Disabled)]
    [InlineData(CircuitBreakerState.ForcedOpen)]
    public void GetMetrics_DisabledOrForcedOpen_HasEmptyWindow(CircuitBreakerState state)
    {
        Breaker breaker = Create(_time, CountWindow(2, 1));
        breaker.RecordSuccesses(1);
        CircuitBreakerPermit[] inFlight = breaker.Permits(6);
        MoveTo(breaker, state);

        inFlight[..3].RecordFailures();
        inFlight[3..].RecordSuccesses();

        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        metrics.NumberOfBufferedCalls.Should().Be(0);
        metrics.FailureRate.Should().Be(-1f);
        metrics.SlowCallRate.Should().Be(-1f);
    }

    [Fact]
    public void GetMetrics_TimeWindow_CountsWholeSecondsOnTheClock()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero) + TimeSpan.FromMilliseconds(900));
        Breaker breaker = Create(time, NeverTrips(2, 1, SlidingWindowType.TimeBased));
        breaker.RecordSuccesses(1); // recorded in second 0, at 0.9 s

        time.Advance(TimeSpan.FromMilliseconds(1099)); // 1.999 s: second 1, window = seconds 0 and 1
        breaker.GetMetrics().NumberOfBufferedCalls.Should().Be(1);

        time.Advance(TimeSpan.FromMilliseconds(1));    // 2.000 s: second 2, window = seconds 1 and 2
        breaker.GetMetrics().NumberOfBufferedCalls.Should().Be(0);
    }
}
