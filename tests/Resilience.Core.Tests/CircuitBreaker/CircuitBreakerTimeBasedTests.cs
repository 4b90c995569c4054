using Microsoft.Extensions.Time.Testing;
using Breaker = Resilience.CircuitBreaker;

namespace Resilience.Tests.CircuitBreaker;

public class CircuitBreakerTimeBasedTests
{
    private static readonly TimeSpan Fast = TimeSpan.FromMilliseconds(1);

    private readonly FakeTimeProvider _time = NewTimeAtWholeSecond();

    [Fact]
    public void RecordFailure_FailureRateReachesThresholdWithinWindow_Opens()
    {
        Breaker breaker = NewBreaker(windowSeconds: 10, minimumNumberOfCalls: 4);
        var events = new List<CircuitBreakerEvent>();
        breaker.Events.FailureRateExceeded += events.Add;
        breaker.Events.StateTransition += events.Add;

        breaker.RecordSuccess(Fast);
        breaker.RecordSuccess(Fast);
        breaker.RecordFailure(Fast, new InvalidOperationException());
        breaker.State.Should().Be(CircuitBreakerState.Closed, "3 calls are below the minimum of 4");
        breaker.RecordFailure(Fast, new InvalidOperationException());

        breaker.State.Should().Be(CircuitBreakerState.Open);
        breaker.GetMetrics().FailureRate.Should().Be(50f);
        events.Select(e => e.EventType).Should().Equal(CircuitBreakerEventType.FailureRateExceeded, CircuitBreakerEventType.StateTransition);
        events[0].Rate.Should().Be(50f);
        events[1].FromState.Should().Be(CircuitBreakerState.Closed);
        events[1].ToState.Should().Be(CircuitBreakerState.Open);
    }

    [Fact]
    public void RecordFailure_FailureRateBelowThreshold_StaysClosed()
    {
        Breaker breaker = NewBreaker(windowSeconds: 10, minimumNumberOfCalls: 4);

        breaker.RecordSuccess(Fast);
        breaker.RecordSuccess(Fast);
        breaker.RecordSuccess(Fast);
        breaker.RecordFailure(Fast, new InvalidOperationException());

        breaker.State.Should().Be(CircuitBreakerState.Closed);
        breaker.GetMetrics().FailureRate.Should().Be(25f);
    }

    [Fact]
    public void RecordFailure_FailuresSpreadOverSecondsWithinWindow_AreAllCounted()
    {
        Breaker breaker = NewBreaker(windowSeconds: 2, minimumNumberOfCalls: 4);
        breaker.RecordFailure(Fast, new InvalidOperationException());
        breaker.RecordFailure(Fast, new InvalidOperationException());

        _time.Advance(TimeSpan.FromSeconds(1));
        breaker.RecordSuccess(Fast);
        breaker.RecordSuccess(Fast);

        breaker.State.Should().Be(CircuitBreakerState.Open, "2 of 4 calls in the last 2 seconds failed");
    }

    [Fact]
    public void RecordFailure_FailuresThatSlidOut_AreNotCounted()
    {
        Breaker breaker = NewBreaker(windowSeconds: 2, minimumNumberOfCalls: 4);
        breaker.RecordFailure(Fast, new InvalidOperationException());
        breaker.RecordFailure(Fast, new InvalidOperationException());

        _time.Advance(TimeSpan.FromSeconds(2));
        breaker.GetMetrics().NumberOfBufferedCalls.Should().Be(0);
        breaker.RecordSuccess(Fast);
        breaker.RecordSuccess(Fast);
        breaker.RecordFailure(Fast, new InvalidOperationException());
        breaker.RecordSuccess(Fast);

        breaker.State.Should().Be(CircuitBreakerState.Closed);
        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        metrics.NumberOfBufferedCalls.Should().Be(4);
        metrics.NumberOfFailedCalls.Should().Be(1);
        metrics.FailureRate.Should().Be(25f);
    }

    [Fact]
    public void RecordFailure_MinimumLargerThanWindowSeconds_IsNotClamped()
    {
        Breaker breaker = NewBreaker(windowSeconds: 2, minimumNumberOfCalls: 10);

        for (int i = 0; i < 9; i++)
        {
            breaker.RecordFailure(Fast, new InvalidOperationException());
        }

        breaker.State.Should().Be(CircuitBreakerState.Closed, "9 calls are below the minimum of 10");
        breaker.GetMetrics().FailureRate.Should().Be(-1f);
        breaker.GetMetrics().NumberOfFailedCalls.Should().Be(9);

        breaker.RecordFailure(Fast, new InvalidOperationException());

        breaker.State.Should().Be(CircuitBreakerState.Open);
        breaker.GetMetrics().FailureRate.Should().Be(100f);
    }

    [Fact]
    public void RecordFailure_MinimumReachedOnlyAcrossSlidOutSeconds_StaysClosed()
    {
        Breaker breaker = NewBreaker(windowSeconds: 2, minimumNumberOfCalls: 10);
        for (int i = 0; i < 5; i++)
        {
            breaker.RecordFailure(Fast, new InvalidOperationException());
        }

        _time.Advance(TimeSpan.FromSeconds(2));
        for (int i = 0; i < 5; i++)
        {
            breaker.RecordFailure(Fast, new InvalidOperationException());
        }

        breaker.State.Should().Be(CircuitBreakerState.Closed, "only 5 calls are in the 2-second window");
        breaker.GetMetrics().NumberOfBufferedCalls.Should().Be(5);
        breaker.GetMetrics().FailureRate.Should().Be(-1f);
    }

    [Fact]
    public void RecordSuccess_AfterMinimumReachedInEarlierSecond_EvaluatesAndOpensOnFailure()
    {
        Breaker breaker = NewBreaker(windowSeconds: 3, minimumNumberOfCalls: 2);
        breaker.RecordSuccess(Fast);
        breaker.RecordSuccess(Fast);

        _time.Advance(TimeSpan.FromSeconds(1));
        breaker.RecordFailure(Fast, new InvalidOperationException());
        breaker.State.Should().Be(CircuitBreakerState.Closed, "1 of 3 calls failed");
        breaker.RecordFailure(Fast, new InvalidOperationException());

        breaker.State.Should().Be(CircuitBreakerState.Open, "2 of 4 calls failed");
    }

    [Fact]
    public void Execute_DurationAboveThresholdMeasuredOnFakeClock_IsSlow()
    {
        Breaker breaker = NewBreaker(windowSeconds: 10, minimumNumberOfCalls: 2, slowThreshold: TimeSpan.FromSeconds(1), slowRate: 50);
        var events = new List<CircuitBreakerEvent>();
        breaker.Events.SlowCallRateExceeded += events.Add;

        breaker.Execute(() =>
        {
            _time.Advance(TimeSpan.FromSeconds(2));
            return 1;
        }).Should().Be(1);
        breaker.GetMetrics().NumberOfSlowCalls.Should().Be(1);
        breaker.State.Should().Be(CircuitBreakerState.Closed, "1 call is below the minimum of 2");

        breaker.Execute(() => 2);

        breaker.State.Should().Be(CircuitBreakerState.Open, "1 of 2 calls is slow, at the 50% threshold");
        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        metrics.NumberOfBufferedCalls.Should().Be(2);
        metrics.NumberOfSlowCalls.Should().Be(1);
        metrics.NumberOfSlowSuccessfulCalls.Should().Be(1);
        metrics.NumberOfFailedCalls.Should().Be(0);
        metrics.SlowCallRate.Should().Be(50f);
        events.Should().ContainSingle().Which.Rate.Should().Be(50f);
    }

    [Fact]
    public void Execute_DurationEqualToThreshold_IsNotSlow()
    {
        Breaker breaker = NewBreaker(windowSeconds: 10, minimumNumberOfCalls: 1, slowThreshold: TimeSpan.FromSeconds(1), slowRate: 100);

        breaker.Execute(() => _time.Advance(TimeSpan.FromSeconds(1)));

        breaker.State.Should().Be(CircuitBreakerState.Closed);
        breaker.GetMetrics().NumberOfSlowCalls.Should().Be(0);
        breaker.GetMetrics().NumberOfBufferedCalls.Should().Be(1);
    }

    [Fact]
    public void Execute_SlowFailure_CountsAsFailedAndSlow()
    {
        Breaker breaker = NewBreaker(windowSeconds: 10, minimumNumberOfCalls: 3, slowThreshold: TimeSpan.FromMilliseconds(500), slowRate: 100);

        Action slowFailure = () => breaker.Execute(() =>
        {
            _time.Advance(TimeSpan.FromMilliseconds(501));
            throw new InvalidOperationException();
        });
        slowFailure.Should().Throw<InvalidOperationException>();
        breaker.Execute(() => 1);

        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        metrics.NumberOfBufferedCalls.Should().Be(2);
        metrics.NumberOfFailedCalls.Should().Be(1);
        metrics.NumberOfSlowCalls.Should().Be(1);
        metrics.NumberOfSlowFailedCalls.Should().Be(1);
        metrics.NumberOfSlowSuccessfulCalls.Should().Be(0);
        breaker.State.Should().Be(CircuitBreakerState.Closed);
    }

    [Fact]
    public void Execute_AllCallsSlow_OpensOnSlowCallRate()
    {
        Breaker breaker = NewBreaker(windowSeconds: 10, minimumNumberOfCalls: 3, slowThreshold: TimeSpan.FromMilliseconds(100), slowRate: 100);
        var transitions = new List<CircuitBreakerEvent>();
        breaker.Events.StateTransition += transitions.Add;

        for (int i = 0; i < 3; i++)
        {
            breaker.Execute(() => _time.Advance(TimeSpan.FromMilliseconds(150)));
        }

        breaker.State.Should().Be(CircuitBreakerState.Open);
        breaker.GetMetrics().SlowCallRate.Should().Be(100f);
        transitions.Should().ContainSingle().Which.ToState.Should().Be(CircuitBreakerState.Open);
    }

    [Fact]
    public void Execute_SlowCallsThatSlidOut_AreNotCounted()
    {
        Breaker breaker = NewBreaker(windowSeconds: 2, minimumNumberOfCalls: 2, slowThreshold: TimeSpan.FromMilliseconds(100), slowRate: 100);
        breaker.Execute(() => _time.Advance(TimeSpan.FromMilliseconds(200)));
        breaker.GetMetrics().NumberOfSlowCalls.Should().Be(1);

        _time.Advance(TimeSpan.FromSeconds(3));
        breaker.Execute(() => _time.Advance(TimeSpan.FromMilliseconds(200)));

        breaker.State.Should().Be(CircuitBreakerState.Closed, "the first slow call slid out, so only 1 call is in the window");
        breaker.GetMetrics().NumberOfSlowCalls.Should().Be(1);
        breaker.GetMetrics().SlowCallRate.Should().Be(-1f);
    }

    [Fact]
    public void GetMetrics_AfterWindowElapses_SlidesToNow()
    {
        Breaker breaker = NewBreaker(windowSeconds: 3, minimumNumberOfCalls: 100);
        breaker.RecordFailure(Fast, new InvalidOperationException());
        breaker.RecordSuccess(Fast);
        breaker.GetMetrics().NumberOfBufferedCalls.Should().Be(2);

        _time.Advance(TimeSpan.FromSeconds(3));

        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        metrics.NumberOfBufferedCalls.Should().Be(0);
        metrics.NumberOfFailedCalls.Should().Be(0);
        metrics.FailureRate.Should().Be(-1f);
    }

    [Fact]
    public void HalfOpen_TimeBasedBreaker_UsesCountWindowOfPermits()
    {
        var options = new CircuitBreakerOptions
        {
            SlidingWindowType = SlidingWindowType.TimeBased,
            SlidingWindowSize = 2,
            MinimumNumberOfCalls = 2,
            PermittedNumberOfCallsInHalfOpenState = 3,
            WaitDurationInOpenState = TimeSpan.FromSeconds(5),
        };
        var breaker = new Breaker("time-based", options, _time);
        breaker.RecordFailure(Fast, new InvalidOperationException());
        breaker.RecordFailure(Fast, new InvalidOperationException());
        breaker.State.Should().Be(CircuitBreakerState.Open);

        _time.Advance(TimeSpan.FromSeconds(5));
        CircuitBreakerPermit first = breaker.Permit();
        breaker.State.Should().Be(CircuitBreakerState.HalfOpen);
        first.RecordSuccess(Fast);
        _time.Advance(TimeSpan.FromSeconds(10)); // a 2-second time window would have emptied; the trial window must not
        breaker.State.Should().Be(CircuitBreakerState.HalfOpen);
        breaker.GetMetrics().NumberOfBufferedCalls.Should().Be(1);
        breaker.Permit().RecordSuccess(Fast);

        breaker.State.Should().Be(CircuitBreakerState.Closed, "the trial window decides at min(2, 3) = 2 recorded calls");
    }

    private static FakeTimeProvider NewTimeAtWholeSecond()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero));
        long frequency = time.TimestampFrequency;
        long remainder = time.GetTimestamp() % frequency;
        if (remainder != 0)
        {
            time.Advance(TimeSpan.FromTicks((frequency - remainder) * TimeSpan.TicksPerSecond / frequency));
        }

        return time;
    }

    private Breaker NewBreaker(int windowSeconds, int minimumNumberOfCalls, TimeSpan? slowThreshold = null, float slowRate = 100) =>
        new("time-based", new CircuitBreakerOptions
        {
            SlidingWindowType = SlidingWindowType.TimeBased,
            SlidingWindowSize = windowSeconds,
            MinimumNumberOfCalls = minimumNumberOfCalls,
            FailureRateThreshold = 50,
            SlowCallRateThreshold = slowRate,
            SlowCallDurationThreshold = slowThreshold ?? TimeSpan.FromSeconds(60),
        }, _time);
}
