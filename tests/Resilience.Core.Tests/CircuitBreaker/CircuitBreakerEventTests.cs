using Microsoft.Extensions.Time.Testing;
using Breaker = Resilience.CircuitBreaker;
using static Resilience.Tests.CircuitBreaker.CircuitBreakerTestSupport;

namespace Resilience.Tests.CircuitBreaker;

public class CircuitBreakerEventTests
{
    private static readonly DateTimeOffset Start = new(2030, 5, 6, 7, 8, 9, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);

    private Breaker CreateBreaker(CircuitBreakerOptions? options = null) => Create(_time, options ?? CountWindow(4, 4), "events-cb");

    private static void ShouldBeStamped(CircuitBreakerEvent e, DateTimeOffset when)
    {
        e.CircuitBreakerName.Should().Be("events-cb");
        e.CreationTime.Should().Be(when);
    }

    [Fact]
    public void RecordSuccess_Subscribed_PublishesSuccessWithFields()
    {
        Breaker breaker = CreateBreaker();
        var events = new List<CircuitBreakerEvent>();
        breaker.Events.Success += events.Add;
        _time.Advance(TimeSpan.FromMinutes(3));

        breaker.RecordSuccess(TimeSpan.FromMilliseconds(250));

        CircuitBreakerEvent e = events.Should().ContainSingle().Which;
        e.EventType.Should().Be(CircuitBreakerEventType.Success);
        ShouldBeStamped(e, Start + TimeSpan.FromMinutes(3));
        e.ElapsedDuration.Should().Be(TimeSpan.FromMilliseconds(250));
        e.Exception.Should().BeNull();
        e.FromState.Should().Be(CircuitBreakerState.Closed);
    }

    [Fact]
    public void Execute_Failure_PublishesErrorWithExceptionAndMeasuredDuration()
    {
        Breaker breaker = CreateBreaker();
        var events = new List<CircuitBreakerEvent>();
        breaker.Events.Error += events.Add;
        var exception = new InvalidOperationException("boom");

        Action call = () => breaker.Execute(() => { _time.Advance(TimeSpan.FromMilliseconds(1500)); throw exception; });
        call.Should().Throw<InvalidOperationException>();

        CircuitBreakerEvent e = events.Should().ContainSingle().Which;
        e.EventType.Should().Be(CircuitBreakerEventType.Error);
        ShouldBeStamped(e, Start + TimeSpan.FromMilliseconds(1500));
        e.ElapsedDuration.Should().Be(TimeSpan.FromMilliseconds(1500));
        e.Exception.Should().BeSameAs(exception);
    }

    [Fact]
    public void RecordFailure_IgnoredException_PublishesIgnoredErrorWithFields()
    {
        CircuitBreakerOptions options = CountWindow(4, 4);
        options.IgnoreExceptions.Add(typeof(ArgumentException));
        Breaker breaker = CreateBreaker(options);
        var events = new List<CircuitBreakerEvent>();
        breaker.Events.IgnoredError += events.Add;
        var exception = new ArgumentException("ignored");

        breaker.RecordFailure(TimeSpan.FromSeconds(2), exception);

        CircuitBreakerEvent e = events.Should().ContainSingle().Which;
        e.EventType.Should().Be(CircuitBreakerEventType.IgnoredError);
        ShouldBeStamped(e, Start);
        e.ElapsedDuration.Should().Be(TimeSpan.FromSeconds(2));
        e.Exception.Should().BeSameAs(exception);
    }

    [Fact]
    public void TryAcquirePermission_Open_PublishesCallNotPermitted()
    {
        Breaker breaker = CreateBreaker();
        breaker.TransitionToOpenState();
        var events = new List<CircuitBreakerEvent>();
        breaker.Events.CallNotPermitted += events.Add;
        _time.Advance(TimeSpan.FromSeconds(1));

        breaker.TryAcquirePermission(out _).Should().BeFalse();

        CircuitBreakerEvent e = events.Should().ContainSingle().Which;
        e.EventType.Should().Be(CircuitBreakerEventType.CallNotPermitted);
        ShouldBeStamped(e, Start + TimeSpan.FromSeconds(1));
        e.FromState.Should().Be(CircuitBreakerState.Open);
        e.Exception.Should().BeNull();
    }

    [Fact]
    public void AcquirePermission_HalfOpenExhausted_PublishesCallNotPermittedOnce()
    {
        Breaker breaker = CreateBreaker(new CircuitBreakerOptions { PermittedNumberOfCallsInHalfOpenState = 1 });
        MoveTo(breaker, CircuitBreakerState.HalfOpen);
        breaker.AcquirePermission();
        var events = new List<CircuitBreakerEvent>();
        breaker.Events.CallNotPermitted += events.Add;

        breaker.Rejection();

        events.Should().ContainSingle().Which.FromState.Should().Be(CircuitBreakerState.HalfOpen);
    }

    [Fact]
    public void TransitionToForcedOpenState_PublishesStateTransitionWithFields()
    {
        Breaker breaker = CreateBreaker();
        var events = new List<CircuitBreakerEvent>();
        breaker.Events.StateTransition += events.Add;
        _time.Advance(TimeSpan.FromHours(1));

        breaker.TransitionToForcedOpenState();

        CircuitBreakerEvent e = events.Should().ContainSingle().Which;
        e.EventType.Should().Be(CircuitBreakerEventType.StateTransition);
        ShouldBeStamped(e, Start + TimeSpan.FromHours(1));
        e.FromState.Should().Be(CircuitBreakerState.Closed);
        e.ToState.Should().Be(CircuitBreakerState.ForcedOpen);
    }

    [Fact]
    public void Reset_PublishesResetWithFields()
    {
        Breaker breaker = CreateBreaker();
        var events = new List<CircuitBreakerEvent>();
        breaker.Events.Reset += events.Add;

        breaker.Reset();

        CircuitBreakerEvent e = events.Should().ContainSingle().Which;
        e.EventType.Should().Be(CircuitBreakerEventType.Reset);
        ShouldBeStamped(e, Start);
        e.ToState.Should().Be(CircuitBreakerState.Closed);
    }

    [Fact]
    public void RecordFailure_TrippingCall_PublishesErrorThenFailureRateExceededThenTransition()
    {
        Breaker breaker = CreateBreaker();
        breaker.RecordSuccesses(2);
        breaker.RecordFailures(1);
        var events = new EventRecorder(breaker);

        breaker.RecordFailures(1);

        events.Types.Should().Equal(
            CircuitBreakerEventType.Error,
            CircuitBreakerEventType.FailureRateExceeded,
            CircuitBreakerEventType.StateTransition);
        events.Events[1].Rate.Should().Be(50f);
        ShouldBeStamped(events.Events[1], Start);
        events.Events[2].FromState.Should().Be(CircuitBreakerState.Closed);
        events.Events[2].ToState.Should().Be(CircuitBreakerState.Open);
    }

    [Fact]
    public void RecordSuccess_TrippingSlowCall_PublishesSuccessThenSlowCallRateExceededThenTransition()
    {
        Breaker breaker = CreateBreaker(new CircuitBreakerOptions
        {
            SlidingWindowSize = 3,
            MinimumNumberOfCalls = 3,
            SlowCallDurationThreshold = TimeSpan.FromSeconds(1),
            SlowCallRateThreshold = 60f,
        });
        breaker.RecordSuccesses(1);
        breaker.RecordSuccesses(1, TimeSpan.FromSeconds(2));
        var events = new EventRecorder(breaker);

        breaker.RecordSuccesses(1, TimeSpan.FromSeconds(2));

        events.Types.Should().Equal(
            CircuitBreakerEventType.Success,
            CircuitBreakerEventType.SlowCallRateExceeded,
            CircuitBreakerEventType.StateTransition);
        events.Events[1].Rate.Should().Be(66.666664f);
    }

    [Fact]
    public void RecordFailure_BothRatesExceeded_PublishesBothRateEventsBeforeTransition()
    {
        Breaker breaker = CreateBreaker(new CircuitBreakerOptions
        {
            SlidingWindowSize = 1,
            MinimumNumberOfCalls = 1,
            SlowCallDurationThreshold = TimeSpan.FromSeconds(1),
        });
        var events = new EventRecorder(breaker);

        breaker.RecordFailures(1, TimeSpan.FromSeconds(5));

        events.Types.Should().Equal(
            CircuitBreakerEventType.Error,
            CircuitBreakerEventType.FailureRateExceeded,
            CircuitBreakerEventType.SlowCallRateExceeded,
            CircuitBreakerEventType.StateTransition);
        events.Events[1].Rate.Should().Be(100f);
        events.Events[2].Rate.Should().Be(100f);
    }

    [Fact]
    public void HalfOpen_FailedTrial_PublishesNoRateExceededEvents()
    {
        Breaker breaker = CreateBreaker(new CircuitBreakerOptions { PermittedNumberOfCallsInHalfOpenState = 1 });
        MoveTo(breaker, CircuitBreakerState.HalfOpen);
        CircuitBreakerPermit trial = breaker.AcquirePermission();
        var events = new EventRecorder(breaker);

        trial.RecordFailure(Fast, new InvalidOperationException("trial failed"));

        events.Types.Should().Equal(CircuitBreakerEventType.Error, CircuitBreakerEventType.StateTransition);
        events.Events[1].FromState.Should().Be(CircuitBreakerState.HalfOpen);
        events.Events[1].ToState.Should().Be(CircuitBreakerState.Open);
    }

    [Fact]
    public void Publish_AnyAndTypedHandlers_AnyRunsFirst()
    {
        Breaker breaker = CreateBreaker();
        var order = new List<string>();
        breaker.Events.Success += _ => order.Add("typed1");
        breaker.Events.Any += _ => order.Add("any1");
        breaker.Events.Success += _ => order.Add("typed2");
        breaker.Events.Any += _ => order.Add("any2");

        breaker.RecordSuccesses(1);

        order.Should().Equal("any1", "any2", "typed1", "typed2");
    }

    [Fact]
    public void Publish_TypedHandler_ReceivesOnlyItsType()
    {
        Breaker breaker = CreateBreaker();
        var errors = new List<CircuitBreakerEvent>();
        breaker.Events.Error += errors.Add;

        breaker.RecordSuccesses(1);
        breaker.RecordFailures(1);
        breaker.TransitionToOpenState();
        breaker.TryAcquirePermission(out _);

        errors.Should().ContainSingle().Which.EventType.Should().Be(CircuitBreakerEventType.Error);
    }

    [Theory]
    [InlineData(CircuitBreakerState.Disabled)]
    [InlineData(CircuitBreakerState.ForcedOpen)]
    public void Publish_DisabledOrForcedOpen_OnlyTransitionsAndResets(CircuitBreakerState state)
    {
        CircuitBreakerOptions options = CountWindow(1, 1);
        options.IgnoreExceptions.Add(typeof(ArgumentException));
        Breaker breaker = CreateBreaker(options);
        var events = new EventRecorder(breaker);

        CircuitBreakerPermit[] inFlight = [breaker.Permit(), breaker.Permit(), breaker.Permit(), breaker.Permit()];
        MoveTo(breaker, state);
        breaker.TryAcquirePermission(out _);
        inFlight[0].RecordSuccess(Fast);
        inFlight[1].RecordFailure(Fast, new InvalidOperationException());
        inFlight[2].RecordFailure(Fast, new ArgumentException("ignored"));
        inFlight[3].RecordResult(Fast, 1);
        Action call = () => breaker.Execute(() => 1);
        if (state == CircuitBreakerState.ForcedOpen)
        {
            call.Should().Throw<CallNotPermittedException>();
        }
        else
        {
            call.Should().NotThrow();
        }

        breaker.Reset();

        events.Types.Should().Equal(
            CircuitBreakerEventType.StateTransition,
            CircuitBreakerEventType.StateTransition,
            CircuitBreakerEventType.Reset);
    }

    [Fact]
    public void Publish_ThrowingSubscriber_BreaksNeitherCallNorBreakerAndLaterHandlersRun()
    {
        Breaker breaker = CreateBreaker(CountWindow(1, 1));
        var seen = new List<CircuitBreakerEventType>();
        breaker.Events.Any += _ => throw new InvalidOperationException("bad subscriber");
        breaker.Events.Any += e => seen.Add(e.EventType);
        breaker.Events.StateTransition += _ => throw new InvalidOperationException("bad subscriber");
        breaker.Events.StateTransition += e => seen.Add(e.EventType);

        int result = breaker.Execute(() => 42);
        Action failing = () => breaker.Execute(() => throw new TimeoutException());

        result.Should().Be(42);
        failing.Should().Throw<TimeoutException>();
        breaker.State.Should().Be(CircuitBreakerState.Open);
        seen.Should().Equal(
            CircuitBreakerEventType.Success,
            CircuitBreakerEventType.Error,
            CircuitBreakerEventType.FailureRateExceeded,
            CircuitBreakerEventType.StateTransition,
            CircuitBreakerEventType.StateTransition);
    }

    [Fact]
    public void Unsubscribe_Handler_NoLongerInvoked()
    {
        Breaker breaker = CreateBreaker();
        int typed = 0, any = 0, other = 0;
        void Typed(CircuitBreakerEvent e) => typed++;
        void Any(CircuitBreakerEvent e) => any++;
        breaker.Events.Success += Typed;
        breaker.Events.Any += Any;
        breaker.Events.Success += _ => other++;
        breaker.RecordSuccesses(1);

        breaker.Events.Success -= Typed;
        breaker.Events.Any -= Any;
        breaker.RecordSuccesses(1);

        typed.Should().Be(1);
        any.Should().Be(1);
        other.Should().Be(2);
    }

    [Fact]
    public void Subscribe_SameHandlerTwice_InvokedTwiceAndRemovedOneAtATime()
    {
        Breaker breaker = CreateBreaker();
        int count = 0;
        void Handler(CircuitBreakerEvent e) => count++;
        breaker.Events.Success += Handler;
        breaker.Events.Success += Handler;

        breaker.RecordSuccesses(1);
        breaker.Events.Success -= Handler;
        breaker.RecordSuccesses(1);
        breaker.Events.Success -= Handler;
        breaker.RecordSuccesses(1);

        count.Should().Be(3);
    }

    [Fact]
    public void ToString_StateTransition_DescribesEvent()
    {
        Breaker breaker = CreateBreaker();
        var events = new EventRecorder(breaker);

        breaker.TransitionToOpenState();

        events.Events.Should().ContainSingle().Which.ToString()
            .Should().Contain("Circuit breaker 'events-cb' changed state from Closed to Open");
    }

    [Fact]
    public void TryAcquirePermission_LazyOpenToHalfOpen_PublishesOnlyTheTransition()
    {
        Breaker breaker = CreateBreaker(new CircuitBreakerOptions { WaitDurationInOpenState = TimeSpan.FromSeconds(1) });
        breaker.TransitionToOpenState();
        _time.Advance(TimeSpan.FromSeconds(1));
        var events = new EventRecorder(breaker);

        breaker.TryAcquirePermission(out _).Should().BeTrue();

        CircuitBreakerEvent e = events.Events.Should().ContainSingle().Which;
        e.EventType.Should().Be(CircuitBreakerEventType.StateTransition);
        e.FromState.Should().Be(CircuitBreakerState.Open);
        e.ToState.Should().Be(CircuitBreakerState.HalfOpen);
        ShouldBeStamped(e, Start + TimeSpan.FromSeconds(1));
    }

    public static TheoryData<CircuitBreakerEventType, string> Descriptions => new()
    {
        { CircuitBreakerEventType.Reset, "was reset" },
        { CircuitBreakerEventType.Success, "recorded a successful call (1.5 ms)" },
        { CircuitBreakerEventType.Error, "recorded an error (1.5 ms): InvalidOperationException: boom" },
        { CircuitBreakerEventType.IgnoredError, "ignored an error (1.5 ms): InvalidOperationException" },
        { CircuitBreakerEventType.CallNotPermitted, "did not permit a call while Open" },
        { CircuitBreakerEventType.FailureRateExceeded, "exceeded the failure rate threshold: 62.5%" },
        { CircuitBreakerEventType.SlowCallRateExceeded, "exceeded the slow-call rate threshold: 62.5%" },
        { (CircuitBreakerEventType)99, "published 99" },
    };

    [Theory]
    [MemberData(nameof(Descriptions))]
    public void ToString_EachEventType_DescribesEvent(CircuitBreakerEventType type, string description)
    {
        var e = new CircuitBreakerEvent
        {
            EventType = type,
            CircuitBreakerName = "cb",
            CreationTime = Start,
            ElapsedDuration = TimeSpan.FromMicroseconds(1500),
            Exception = new InvalidOperationException("boom"),
            FromState = CircuitBreakerState.Open,
            Rate = 62.5f,
        };

        e.ToString().Should().Be("2030-05-06T07:08:09.0000000+00:00: Circuit breaker 'cb' " + description);
    }

    [Theory]
    [InlineData(CircuitBreakerEventType.Error, "recorded an error (0 ms): : ")]
    [InlineData(CircuitBreakerEventType.IgnoredError, "ignored an error (0 ms): ")]
    public void ToString_ErrorWithoutException_DescribesEvent(CircuitBreakerEventType type, string description) =>
        new CircuitBreakerEvent { EventType = type, CircuitBreakerName = "cb", CreationTime = Start }.ToString()
            .Should().Be("2030-05-06T07:08:09.0000000+00:00: Circuit breaker 'cb' " + description);
}
