using Microsoft.Extensions.Time.Testing;
using Breaker = Resilience.CircuitBreaker;
using static Resilience.Tests.CircuitBreaker.CircuitBreakerTestSupport;

namespace Resilience.Tests.CircuitBreaker;

/// <summary>The public call contract: a permit, then exactly one completion, and the misuse it detects.</summary>
public class CircuitBreakerPermitTests
{
    private static readonly TimeSpan Elapsed = TimeSpan.FromMilliseconds(250);
    private readonly FakeTimeProvider _time = new();

    public enum CallEnd
    {
        IgnoredException,
        CallerCancelled,
        Released,
    }

    private Breaker CreateWith(Action<CircuitBreakerOptions>? configure = null)
    {
        var options = new CircuitBreakerOptions { SlidingWindowSize = 10, MinimumNumberOfCalls = 10 };
        options.IgnoreExceptions.Add(typeof(ArgumentException));
        configure?.Invoke(options);
        return Create(_time, options);
    }

    [Fact]
    public void RecordSuccess_AfterTheCallRan_ReturnsSuccessWithMeasuredDuration()
    {
        Breaker breaker = CreateWith();
        var events = new EventRecorder(breaker);
        CircuitBreakerPermit permit = breaker.AcquirePermission();
        _time.Advance(Elapsed);

        CircuitBreakerCompletion completion = permit.RecordSuccess();

        completion.Outcome.Should().Be(CircuitBreakerCallOutcome.Success);
        completion.Duration.Should().Be(Elapsed);
        events.OfType(CircuitBreakerEventType.Success).Should().ContainSingle().Which.ElapsedDuration.Should().Be(Elapsed);
        breaker.GetMetrics().NumberOfSuccessfulCalls.Should().Be(1);
    }

    [Fact]
    public void RecordFailure_RecordedException_ReturnsFailureWithMeasuredDuration()
    {
        Breaker breaker = CreateWith();
        breaker.TryAcquirePermission(out CircuitBreakerPermit permit).Should().BeTrue();
        _time.Advance(Elapsed);

        CircuitBreakerCompletion completion = permit.RecordFailure(new InvalidOperationException("failed"));

        completion.Outcome.Should().Be(CircuitBreakerCallOutcome.Failure);
        completion.Duration.Should().Be(Elapsed);
        breaker.GetMetrics().NumberOfFailedCalls.Should().Be(1);
    }

    [Fact]
    public void RecordFailure_IgnoredException_ReturnsIgnoredAndPublishesIgnoredError()
    {
        Breaker breaker = CreateWith();
        var events = new EventRecorder(breaker);
        var ignored = new ArgumentException("ignored");

        CircuitBreakerCompletion completion = breaker.AcquirePermission().RecordFailure(ignored);

        completion.Outcome.Should().Be(CircuitBreakerCallOutcome.Ignored);
        events.OfType(CircuitBreakerEventType.IgnoredError).Should().ContainSingle().Which.Exception.Should().BeSameAs(ignored);
        breaker.GetMetrics().NumberOfBufferedCalls.Should().Be(0);
    }

    [Fact]
    public void RecordFailure_CallerTokenCancelled_ReturnsReleasedAndRecordsNothing()
    {
        Breaker breaker = CreateWith();
        var events = new EventRecorder(breaker);
        using var caller = new CancellationTokenSource();
        CircuitBreakerPermit permit = breaker.AcquirePermission();
        caller.Cancel();

        CircuitBreakerCompletion completion = permit.RecordFailure(new OperationCanceledException(caller.Token), caller.Token);

        completion.Outcome.Should().Be(CircuitBreakerCallOutcome.Released);
        completion.Duration.Should().Be(TimeSpan.Zero);
        events.Events.Should().BeEmpty();
        breaker.GetMetrics().NumberOfBufferedCalls.Should().Be(0);
    }

    [Fact]
    public void RecordResult_ResultMatchesPredicate_ReturnsFailure()
    {
        Breaker breaker = CreateWith(o => o.RecordResultPredicate = r => r is 503);

        breaker.AcquirePermission().RecordResult(503).Outcome.Should().Be(CircuitBreakerCallOutcome.Failure);
        breaker.AcquirePermission().RecordResult(200).Outcome.Should().Be(CircuitBreakerCallOutcome.Success);

        breaker.GetMetrics().NumberOfFailedCalls.Should().Be(1);
        breaker.GetMetrics().NumberOfSuccessfulCalls.Should().Be(1);
    }

    [Fact]
    public void Release_Closed_ReturnsReleasedAndRecordsNothing()
    {
        Breaker breaker = CreateWith();
        var events = new EventRecorder(breaker);

        breaker.AcquirePermission().Release().Outcome.Should().Be(CircuitBreakerCallOutcome.Released);

        events.Events.Should().BeEmpty();
        breaker.GetMetrics().NumberOfBufferedCalls.Should().Be(0);
    }

    [Fact]
    public void TryAcquirePermission_Refused_ReturnsFalseAndTheDefaultPermit()
    {
        Breaker breaker = CreateWith();
        breaker.TransitionToForcedOpenState();

        breaker.TryAcquirePermission(out CircuitBreakerPermit permit).Should().BeFalse();

        permit.Should().Be(default(CircuitBreakerPermit));
        breaker.GetMetrics().NumberOfNotPermittedCalls.Should().Be(1);
    }

    [Fact]
    public void AcquirePermission_Refused_ThrowsCallNotPermitted()
    {
        Breaker breaker = CreateWith();
        breaker.TransitionToOpenState();

        Action acquire = () => breaker.AcquirePermission();

        acquire.Should().Throw<CallNotPermittedException>().Which.State.Should().Be(CircuitBreakerState.Open);
    }

    [Fact]
    public void DefaultPermit_AnyCompletion_ThrowsInvalidOperation()
    {
        CircuitBreakerPermit permit = default;

        Action[] completions =
        [
            () => permit.RecordSuccess(),
            () => permit.RecordFailure(new InvalidOperationException()),
            () => permit.RecordResult(1),
            () => permit.Release(),
        ];

        foreach (Action complete in completions)
        {
            complete.Should().Throw<InvalidOperationException>().WithMessage("*default(CircuitBreakerPermit)*");
        }
    }

#if DEBUG
    [Fact]
    public void Permit_CompletedTwice_ThrowsInDebugBuilds()
    {
        Breaker breaker = CreateWith(o => o.PermittedNumberOfCallsInHalfOpenState = 2);
        MoveTo(breaker, CircuitBreakerState.HalfOpen);
        CircuitBreakerPermit permit = breaker.AcquirePermission();
        permit.Release();

        Action[] again =
        [
            () => permit.RecordSuccess(),
            () => permit.RecordFailure(new InvalidOperationException()),
            () => permit.RecordResult(1),
            () => permit.Release(),
        ];

        foreach (Action complete in again)
        {
            complete.Should().Throw<InvalidOperationException>().WithMessage("*already completed*");
        }

        breaker.GetMetrics().NumberOfBufferedCalls.Should().Be(0);
        breaker.Permits(2).Should().HaveCount(2, "the permit went back once");
        breaker.TryAcquirePermission(out _).Should().BeFalse();
    }
#endif

    /// <summary>
    /// Issue 12: with one trial permit, a call admitted while closed that ends ignored (or cancelled, or released)
    /// after the breaker moved to half-open must not give the trial permit taken by another call back.
    /// </summary>
    [Theory]
    [InlineData(CallEnd.IgnoredException)]
    [InlineData(CallEnd.CallerCancelled)]
    [InlineData(CallEnd.Released)]
    public void Permit_GrantedWhileClosedEndsInHalfOpen_DoesNotAddTrialPermit(CallEnd end)
    {
        Breaker breaker = CreateWith(o => o.PermittedNumberOfCallsInHalfOpenState = 1);
        using var caller = new CancellationTokenSource();
        CircuitBreakerPermit a = breaker.AcquirePermission(); // call A, admitted while closed, still running
        breaker.TransitionToOpenState();
        breaker.TransitionToHalfOpenState();
        breaker.TryAcquirePermission(out CircuitBreakerPermit b).Should().BeTrue("call B takes the only trial permit");

        CircuitBreakerCompletion ended = end switch
        {
            CallEnd.IgnoredException => a.RecordFailure(new ArgumentException("ignored")),
            CallEnd.CallerCancelled => Cancel(a, caller),
            _ => a.Release(),
        };

        ended.Outcome.Should().BeOneOf(CircuitBreakerCallOutcome.Ignored, CircuitBreakerCallOutcome.Released);
        breaker.TryAcquirePermission(out _).Should().BeFalse("call B still holds the only trial permit");
        breaker.IsCallPermitted.Should().BeFalse();
        b.RecordSuccess().Outcome.Should().Be(CircuitBreakerCallOutcome.Success);
        breaker.State.Should().Be(CircuitBreakerState.Closed, "the single trial decided");

        static CircuitBreakerCompletion Cancel(CircuitBreakerPermit permit, CancellationTokenSource caller)
        {
            caller.Cancel();
            return permit.RecordFailure(new OperationCanceledException(caller.Token), caller.Token);
        }
    }

    /// <summary>Issue 12, through <c>ExecuteAsync</c>: call A ends with an ignored exception, or its caller cancels it.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ExecuteAsync_CallAdmittedWhileClosedEndsInHalfOpen_DoesNotAddTrialPermit(bool cancelledByCaller)
    {
        Breaker breaker = CreateWith(o => o.PermittedNumberOfCallsInHalfOpenState = 1);
        var pending = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var caller = new CancellationTokenSource();
        ValueTask<int> a = breaker.ExecuteAsync(static (p, _) => new ValueTask<int>(p.Task), pending, caller.Token);
        breaker.TransitionToOpenState();
        breaker.TransitionToHalfOpenState();
        breaker.TryAcquirePermission(out _).Should().BeTrue("call B takes the only trial permit");

        if (cancelledByCaller)
        {
            await caller.CancelAsync();
            pending.SetCanceled(caller.Token);
        }
        else
        {
            pending.SetException(new ArgumentException("ignored"));
        }

        Func<Task> awaitA = async () => await a;
        await awaitA.Should().ThrowAsync<Exception>();
        breaker.TryAcquirePermission(out _).Should().BeFalse("a third call must be refused: call B holds the only trial permit");
        breaker.GetMetrics().NumberOfBufferedCalls.Should().Be(0);
    }
}
