using Microsoft.Extensions.Time.Testing;
using static Resilience.Tests.CircuitBreaker.CircuitBreakerTestSupport;

namespace Resilience.Tests.CircuitBreaker;

public class CircuitBreakerSpecialStateTests
{
    private static readonly TimeSpan SlowThreshold = TimeSpan.FromSeconds(1);
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Disabled_AnyNumberOfFailures_PermitsAndRecordsNothing()
    {
        var breaker = Create(_time, CountWindow(1, 1));
        MoveTo(breaker, CircuitBreakerState.Disabled);

        for (int i = 0; i < 20; i++)
        {
            breaker.RecordFailures(1);
        }

        Action call = () => breaker.Execute(() => throw new InvalidOperationException());
        call.Should().Throw<InvalidOperationException>();
        breaker.State.Should().Be(CircuitBreakerState.Disabled);
        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        metrics.NumberOfBufferedCalls.Should().Be(0);
        metrics.NumberOfFailedCalls.Should().Be(0);
        metrics.FailureRate.Should().Be(-1f);
        metrics.SlowCallRate.Should().Be(-1f);
    }

    [Fact]
    public void ForcedOpen_AnyTime_RejectsAndCountsNotPermitted()
    {
        var breaker = Create(_time, new CircuitBreakerOptions { AutomaticTransitionFromOpenToHalfOpenEnabled = true });
        MoveTo(breaker, CircuitBreakerState.ForcedOpen);
        int executed = 0;

        breaker.TryAcquirePermission(out _).Should().BeFalse();
        _time.Advance(TimeSpan.FromDays(60));
        breaker.TryAcquirePermission(out _).Should().BeFalse();
        Action call = () => breaker.Execute(() => executed++);
        CallNotPermittedException ex = call.Should().Throw<CallNotPermittedException>().Which;

        executed.Should().Be(0);
        ex.State.Should().Be(CircuitBreakerState.ForcedOpen);
        ex.RetryAfter.Should().BeNull();
        breaker.State.Should().Be(CircuitBreakerState.ForcedOpen);
        breaker.GetMetrics().NumberOfNotPermittedCalls.Should().Be(3);
        breaker.GetMetrics().FailureRate.Should().Be(-1f);
    }

    [Fact]
    public void MetricsOnly_RatesExceeded_RecordsAndPublishesEachEventOnceButNeverOpens()
    {
        var breaker = Create(_time, new CircuitBreakerOptions
        {
            SlidingWindowSize = 4,
            MinimumNumberOfCalls = 2,
            SlowCallDurationThreshold = SlowThreshold,
        });
        MoveTo(breaker, CircuitBreakerState.MetricsOnly);
        var events = new EventRecorder(breaker);
        TimeSpan slow = TimeSpan.FromSeconds(2);

        for (int i = 0; i < 10; i++)
        {
            breaker.RecordFailures(1, slow);
        }

        breaker.State.Should().Be(CircuitBreakerState.MetricsOnly);
        breaker.GetMetrics().NumberOfBufferedCalls.Should().Be(4);
        breaker.GetMetrics().FailureRate.Should().Be(100f);
        breaker.GetMetrics().SlowCallRate.Should().Be(100f);
        events.OfType(CircuitBreakerEventType.FailureRateExceeded).Should().ContainSingle().Which.Rate.Should().Be(100f);
        events.OfType(CircuitBreakerEventType.SlowCallRateExceeded).Should().ContainSingle().Which.Rate.Should().Be(100f);
        events.OfType(CircuitBreakerEventType.StateTransition).Should().BeEmpty();
        events.OfType(CircuitBreakerEventType.Error).Should().HaveCount(10);
    }

    [Fact]
    public void MetricsOnly_ReenteredAfterExceeding_PublishesAgain()
    {
        var breaker = Create(_time, CountWindow(2, 2));
        MoveTo(breaker, CircuitBreakerState.MetricsOnly);
        var events = new EventRecorder(breaker);
        breaker.RecordFailures(3);

        breaker.TransitionToMetricsOnlyState();
        breaker.RecordFailures(3);

        events.OfType(CircuitBreakerEventType.FailureRateExceeded).Should().HaveCount(2);
        breaker.State.Should().Be(CircuitBreakerState.MetricsOnly);
    }

    [Fact]
    public void InitialState_Closed_PermitsAndRecords()
    {
        var breaker = Create(_time, new CircuitBreakerOptions { InitialState = CircuitBreakerState.Closed });

        breaker.RecordFailures(1);

        breaker.GetMetrics().NumberOfFailedCalls.Should().Be(1);
    }

    [Fact]
    public void InitialState_Open_RejectsForFirstAttemptWait()
    {
        var attempts = new List<int>();
        var breaker = Create(_time, new CircuitBreakerOptions
        {
            InitialState = CircuitBreakerState.Open,
            WaitIntervalFunctionInOpenState = a => { attempts.Add(a); return TimeSpan.FromSeconds(10 * a); },
        });

        breaker.State.Should().Be(CircuitBreakerState.Open);
        attempts.Should().Equal(1);
        breaker.Rejection().RetryAfter.Should().Be(TimeSpan.FromSeconds(10));
        breaker.GetMetrics().NumberOfBufferedCalls.Should().Be(0);
        _time.Advance(TimeSpan.FromSeconds(10));
        breaker.TryAcquirePermission(out _).Should().BeTrue();
        breaker.State.Should().Be(CircuitBreakerState.HalfOpen);
    }

    [Fact]
    public void InitialState_OpenWithAutomaticTransition_StartsTimer()
    {
        var breaker = Create(_time, new CircuitBreakerOptions
        {
            InitialState = CircuitBreakerState.Open,
            AutomaticTransitionFromOpenToHalfOpenEnabled = true,
            WaitDurationInOpenState = TimeSpan.FromSeconds(3),
        });

        _time.Advance(TimeSpan.FromSeconds(3));

        breaker.State.Should().Be(CircuitBreakerState.HalfOpen);
    }

    [Fact]
    public void InitialState_HalfOpen_GrantsPermitsAndFailedTrialUsesAttemptTwo()
    {
        var attempts = new List<int>();
        var breaker = Create(_time, new CircuitBreakerOptions
        {
            InitialState = CircuitBreakerState.HalfOpen,
            PermittedNumberOfCallsInHalfOpenState = 1,
            WaitIntervalFunctionInOpenState = a => { attempts.Add(a); return TimeSpan.FromSeconds(10 * a); },
        });

        CircuitBreakerPermit trial = breaker.Permit();
        breaker.TryAcquirePermission(out _).Should().BeFalse();
        trial.RecordFailure(Fast, new InvalidOperationException("trial failed"));

        breaker.State.Should().Be(CircuitBreakerState.Open);
        attempts.Should().Equal(2);
    }

    [Fact]
    public void InitialState_HalfOpenWithMaxWait_StartsTimer()
    {
        var breaker = Create(_time, new CircuitBreakerOptions
        {
            InitialState = CircuitBreakerState.HalfOpen,
            MaxWaitDurationInHalfOpenState = TimeSpan.FromSeconds(2),
            TransitionToStateAfterWaitDuration = CircuitBreakerState.Closed,
        });

        _time.Advance(TimeSpan.FromSeconds(2));

        breaker.State.Should().Be(CircuitBreakerState.Closed);
    }

    [Fact]
    public void InitialState_Disabled_PermitsAndRecordsNothing()
    {
        var breaker = Create(_time, new CircuitBreakerOptions { InitialState = CircuitBreakerState.Disabled, SlidingWindowSize = 1, MinimumNumberOfCalls = 1 });

        breaker.RecordFailures(5);

        breaker.State.Should().Be(CircuitBreakerState.Disabled);
        breaker.GetMetrics().NumberOfBufferedCalls.Should().Be(0);
    }

    [Fact]
    public void InitialState_ForcedOpen_Rejects()
    {
        var breaker = Create(_time, new CircuitBreakerOptions { InitialState = CircuitBreakerState.ForcedOpen });

        breaker.TryAcquirePermission(out _).Should().BeFalse();
        breaker.Rejection().State.Should().Be(CircuitBreakerState.ForcedOpen);
    }

    [Fact]
    public void InitialState_MetricsOnly_RecordsButNeverOpens()
    {
        var breaker = Create(_time, new CircuitBreakerOptions { InitialState = CircuitBreakerState.MetricsOnly, SlidingWindowSize = 1, MinimumNumberOfCalls = 1 });

        breaker.RecordFailures(5);

        breaker.State.Should().Be(CircuitBreakerState.MetricsOnly);
        breaker.GetMetrics().NumberOfFailedCalls.Should().Be(1);
        breaker.GetMetrics().FailureRate.Should().Be(100f);
    }

    [Theory]
    [InlineData(CircuitBreakerState.Closed, true)]
    [InlineData(CircuitBreakerState.Disabled, true)]
    [InlineData(CircuitBreakerState.MetricsOnly, true)]
    [InlineData(CircuitBreakerState.ForcedOpen, false)]
    public void IsCallPermitted_ManualState_AnswersAsACallWould(CircuitBreakerState state, bool permitted)
    {
        var breaker = Create(_time, CountWindow(1, 1));
        MoveTo(breaker, state);

        breaker.IsCallPermitted.Should().Be(permitted);
        breaker.TryAcquirePermission(out _).Should().Be(permitted);
    }
}
