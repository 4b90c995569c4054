using Microsoft.Extensions.Time.Testing;

#pragma warning disable CA2012 // Misuse tests call WaitAsync only to see it refused; no ValueTask exists then.
using static Resilience.Tests.Retry.RetryTestSupport;
using RetryPrimitive = Resilience.Retry;

namespace Resilience.Tests.Retry;

/// <summary>The public call contract of <see cref="RetryPrimitive"/>, driven directly as a front-end would.</summary>
public class RetryContextTests
{
    [Fact]
    public void ShouldRetry_AcceptedResultOnFirstAttempt_EndsAsSuccessWithoutRetry()
    {
        RetryPrimitive retry = NoWait();
        RetryContext call = retry.BeginCall();

        call.ShouldRetry(42, out TimeSpan wait).Should().BeFalse();

        wait.Should().Be(TimeSpan.Zero);
        call.Outcome.Should().Be(RetryCallOutcome.Succeeded);
        call.AttemptNumber.Should().Be(1);
        retry.GetMetrics().Should().Be(Metrics(successWithout: 1, attempts: 1));
    }

    [Fact]
    public async Task ShouldRetry_FailuresThenSuccess_DecidesWaitsAndCountsOneCall()
    {
        var time = new FakeTimeProvider();
        var retry = new RetryPrimitive("contract", new RetryOptions { WaitDuration = TimeSpan.FromSeconds(2) }, time);
        List<RetryEvent> events = retry.Record();
        RetryContext call = retry.BeginCall();

        call.ShouldRetry(new InvalidOperationException("first"), CancellationToken.None, out TimeSpan wait).Should().BeTrue();
        wait.Should().Be(TimeSpan.FromSeconds(2));
        events.Should().BeEmpty("the retry event is published once the wait has started");
        ValueTask waiting = call.WaitAsync();
        events.Should().ContainSingle().Which.EventType.Should().Be(RetryEventType.Retry);
        waiting.IsCompleted.Should().BeFalse();
        time.Advance(TimeSpan.FromSeconds(2));
        await waiting.AsTask().WaitAsync(SafetyTimeout);

        call.AttemptNumber.Should().Be(2);
        call.Outcome.Should().Be(RetryCallOutcome.Pending);
        call.RecordSuccess();

        call.Outcome.Should().Be(RetryCallOutcome.Succeeded);
        events.Select(e => e.EventType).Should().Equal(RetryEventType.Retry, RetryEventType.Success);
        events[1].Exception!.Message.Should().Be("first");
        retry.GetMetrics().Should().Be(Metrics(successWith: 1, attempts: 2));
    }

    [Fact]
    public void ShouldRetry_AttemptsExhausted_EndsFailedWithErrorEvent()
    {
        RetryPrimitive retry = NoWait(maxAttempts: 2);
        List<RetryEvent> events = retry.Record();
        RetryContext call = retry.BeginCall();

        call.ShouldRetry(new InvalidOperationException(), CancellationToken.None, out _).Should().BeTrue();
        call.Wait();
        call.ShouldRetry(new InvalidOperationException(), CancellationToken.None, out _).Should().BeFalse();

        call.Outcome.Should().Be(RetryCallOutcome.Failed);
        call.AttemptNumber.Should().Be(2);
        events.Select(e => e.EventType).Should().Equal(RetryEventType.Retry, RetryEventType.Error);
        retry.GetMetrics().Should().Be(Metrics(failedWith: 1, attempts: 2));
    }

    [Fact]
    public void ShouldRetry_ExceptionNotRetried_EndsFailedWithIgnoredErrorEvent()
    {
        RetryPrimitive retry = NoWait(configure: o => o.IgnoreExceptions.Add(typeof(ArgumentException)));
        List<RetryEvent> events = retry.Record();
        RetryContext call = retry.BeginCall();

        call.ShouldRetry(new ArgumentException("bad"), CancellationToken.None, out _).Should().BeFalse();

        call.Outcome.Should().Be(RetryCallOutcome.Failed);
        events.Should().ContainSingle().Which.EventType.Should().Be(RetryEventType.IgnoredError);
        retry.GetMetrics().Should().Be(Metrics(failedWithout: 1, attempts: 1));
    }

    [Fact]
    public async Task ShouldRetry_AlreadyCancelledCallerToken_EndsCancelledAndCountsNoCall()
    {
        RetryPrimitive retry = NoWait();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        RetryContext call = retry.BeginCall();

        call.ShouldRetry(new OperationCanceledException(cts.Token), cts.Token, out _).Should().BeFalse();

        call.Outcome.Should().Be(RetryCallOutcome.Cancelled);
        retry.GetMetrics().Should().Be(Metrics(attempts: 1));
    }

    [Fact]
    public async Task WaitAsync_AlreadyCancelledCallerToken_ThrowsAndCountsTheCallCancelled()
    {
        RetryPrimitive retry = NoWait();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        RetryContext call = retry.BeginCall();
        call.ShouldRetry(new InvalidOperationException(), cts.Token, out _).Should().BeTrue("the exception is not the caller's cancellation");

        Func<Task> waiting = () => call.WaitAsync(cts.Token).AsTask();

        (await waiting.Should().ThrowAsync<OperationCanceledException>()).Which.CancellationToken.Should().Be(cts.Token);
        retry.GetMetrics().Should().Be(Metrics(attempts: 1));
    }

    [Fact]
    public async Task Wait_AlreadyCancelledCallerToken_ThrowsAndEndsCancelled()
    {
        RetryPrimitive retry = NoWait();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        RetryContext call = retry.BeginCall();
        call.ShouldRetry(new InvalidOperationException(), CancellationToken.None, out _).Should().BeTrue();

        FluentActions.Invoking(() => call.Wait(cts.Token)).Should().Throw<OperationCanceledException>();

        call.Outcome.Should().Be(RetryCallOutcome.Cancelled);
        call.AttemptNumber.Should().Be(1);
        retry.GetMetrics().Should().Be(Metrics(attempts: 1));
    }

    [Fact]
    public void ShouldRetry_RetryableResultWithFailAfterMaxAttempts_ConsumesItAndThrows()
    {
        var consumed = new List<(int Attempt, object? Result)>();
        RetryPrimitive retry = NoWait(maxAttempts: 1, configure: o =>
        {
            o.RetryResultPredicate = _ => true;
            o.FailAfterMaxAttempts = true;
            o.ConsumeResultBeforeRetryAttempt = (attempt, result) => consumed.Add((attempt, result));
        });
        RetryContext call = retry.BeginCall();

        FluentActions.Invoking(() => call.ShouldRetry(7, out _)).Should().Throw<MaxRetriesExceededException>();

        call.Outcome.Should().Be(RetryCallOutcome.Failed);
        consumed.Should().Equal((1, (object?)7));
    }

    [Fact]
    public void BeginCall_StateAndElapsedTime_ReachTheIntervalFunction()
    {
        var time = new FakeTimeProvider();
        var seen = new List<RetryIntervalArguments>();
        var retry = new RetryPrimitive("state", new RetryOptions
        {
            WaitDuration = TimeSpan.FromSeconds(3),
            IntervalFunction = a => { seen.Add(a); return null; },
        }, time);
        var request = new object();
        RetryContext call = retry.BeginCall(request);
        time.Advance(TimeSpan.FromMilliseconds(250));

        call.ShouldRetry(new InvalidOperationException(), CancellationToken.None, out TimeSpan wait).Should().BeTrue();

        wait.Should().Be(TimeSpan.FromSeconds(3), "null falls back to the backoff");
        RetryIntervalArguments arguments = seen.Should().ContainSingle().Subject;
        arguments.State.Should().BeSameAs(request);
        arguments.Elapsed.Should().Be(TimeSpan.FromMilliseconds(250));
        arguments.BackoffWait.Should().Be(TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void Execute_ValueTypeState_IsBoxedOnlyForTheIntervalFunction()
    {
        var states = new List<object?>();
        RetryPrimitive retry = NoWait(configure: o => o.IntervalFunction = a => { states.Add(a.State); return null; });
        int calls = 0;

        retry.Execute(static s => s.Calls() < 2 ? throw new InvalidOperationException() : s.Value, (Calls: (Func<int>)(() => ++calls), Value: 5)).Should().Be(5);
        for (int i = 0; i < 10; i++)
        {
            retry.Execute(static s => s + 1, 41);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            retry.Execute(static s => s + 1, 41);
        }

        // A box of the state per call would be 24 000 B; the runtime may allocate a few bytes of its own meanwhile.
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(1000, "a first-attempt success never boxes the state, even with an interval function");
        states.Should().ContainSingle().Which.Should().BeOfType<(Func<int>, int)>();
    }

    [Fact]
    public void Default_EveryMember_ThrowsInvalidOperation()
    {
        RetryContext call = default;

        FluentActions.Invoking(() => call.ShouldRetry(new InvalidOperationException(), CancellationToken.None, out _)).Should().Throw<InvalidOperationException>().WithMessage("*BeginCall*");
        FluentActions.Invoking(() => call.ShouldRetry(1, out _)).Should().Throw<InvalidOperationException>();
        FluentActions.Invoking(() => call.RecordSuccess()).Should().Throw<InvalidOperationException>();
        FluentActions.Invoking(() => call.Wait()).Should().Throw<InvalidOperationException>();
        FluentActions.Invoking(() => { _ = call.WaitAsync(); }).Should().Throw<InvalidOperationException>();
        call.Outcome.Should().Be(RetryCallOutcome.Pending);
    }

    [Fact]
    public void RecordSuccess_CallAlreadyOver_ThrowsAndCountsOnce()
    {
        RetryPrimitive retry = NoWait();
        RetryContext call = retry.BeginCall();
        call.RecordSuccess();

        FluentActions.Invoking(() => call.RecordSuccess()).Should().Throw<InvalidOperationException>().WithMessage("*is over*");
        FluentActions.Invoking(() => call.ShouldRetry(new InvalidOperationException(), CancellationToken.None, out _)).Should().Throw<InvalidOperationException>();

        retry.GetMetrics().Should().Be(Metrics(successWithout: 1, attempts: 1));
    }

    [Fact]
    public void ShouldRetry_SecondDecisionBeforeTheWait_Throws()
    {
        RetryContext call = NoWait().BeginCall();
        call.ShouldRetry(new InvalidOperationException(), CancellationToken.None, out _).Should().BeTrue();

        FluentActions.Invoking(() => call.ShouldRetry(1, out _)).Should().Throw<InvalidOperationException>().WithMessage("*wait*");
        FluentActions.Invoking(() => call.RecordSuccess()).Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public void Wait_WithoutADecisionToRetry_Throws()
    {
        RetryContext call = NoWait().BeginCall();

        FluentActions.Invoking(() => call.Wait()).Should().Throw<InvalidOperationException>().WithMessage("No retry was decided*");
        FluentActions.Invoking(() => { _ = call.WaitAsync(); }).Should().Throw<InvalidOperationException>();
        call.AttemptNumber.Should().Be(1);
    }
}
