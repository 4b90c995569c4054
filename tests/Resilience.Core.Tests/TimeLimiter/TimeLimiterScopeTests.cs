using Microsoft.Extensions.Time.Testing;

#pragma warning disable CA2012 // Misuse tests call WaitAsync only to see it refused; no ValueTask exists then.
using static Resilience.Tests.TimeLimiter.TimeLimiterTestSupport;
using Limiter = Resilience.TimeLimiter;

namespace Resilience.Tests.TimeLimiter;

/// <summary>The public call contract of <see cref="Limiter"/>, driven directly as a front-end would.</summary>
public class TimeLimiterScopeTests
{
    private readonly FakeTimeProvider _time = NewClock();

    private static List<TimeLimiterEventType> Record(Limiter limiter)
    {
        var events = new List<TimeLimiterEventType>();
        limiter.Events.Any += e => { lock (events) { events.Add(e.EventType); } };
        return events;
    }

    [Fact]
    public async Task BeginScope_AlreadyCancelledCallerToken_ThrowsWithoutTakingAScope()
    {
        Limiter limiter = Create(_time);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        FluentActions.Invoking(() => limiter.BeginScope(cts.Token)).Should().Throw<OperationCanceledException>()
            .Which.CancellationToken.Should().Be(cts.Token);
        TimeLimiterScope scope = limiter.BeginScope();
        scope.Token.IsCancellationRequested.Should().BeFalse();
        scope.RecordSuccess();
    }

    [Fact]
    public async Task ExecuteAsync_AlreadyCancelledCallerToken_ReturnsCancelledTaskWithoutInvoking()
    {
        Limiter limiter = Create(_time);
        List<TimeLimiterEventType> events = Record(limiter);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var calls = new int[1];

        ValueTask<int> call = limiter.ExecuteAsync(static (c, _) => new ValueTask<int>(++c[0]), calls, cts.Token);

        call.IsCanceled.Should().BeTrue();
        (await CaptureAsync(call)).Should().BeAssignableTo<OperationCanceledException>();
        calls[0].Should().Be(0);
        events.Should().BeEmpty();
    }

    [Fact]
    public void RecordSuccess_SynchronousCall_PublishesSuccessAndPoolsTheScope()
    {
        Limiter limiter = Create(_time);
        List<TimeLimiterEventType> events = Record(limiter);

        TimeLimiterScope first = limiter.BeginScope();
        CancellationToken token = first.Token;
        first.RecordSuccess();
        TimeLimiterScope second = limiter.BeginScope();

        second.Token.Should().Be(token, "the scope went back to the pool");
        second.RecordSuccess();
        events.Should().Equal(TimeLimiterEventType.Success, TimeLimiterEventType.Success);
    }

    [Fact]
    public void RecordFailure_CancellationCausedByTheTimeout_BecomesTheTimeoutException()
    {
        Limiter limiter = Create(_time);
        List<TimeLimiterEventType> events = Record(limiter);
        TimeLimiterScope scope = limiter.BeginScope();
        scope.StartTimeout();
        _time.Advance(Limit);
        scope.Token.IsCancellationRequested.Should().BeTrue("the timeout cancels the operation's token");
        var cancelled = new OperationCanceledException(scope.Token);

        Exception error = scope.RecordFailure(cancelled);

        error.Should().BeOfType<TimeLimiterTimeoutException>().Which.InnerException.Should().BeSameAs(cancelled);
        events.Should().Equal(TimeLimiterEventType.Timeout);
    }

    [Fact]
    public async Task RecordFailure_CallerCancelled_ReturnsTheCallersCancellationWithoutEvent()
    {
        Limiter limiter = Create(_time);
        List<TimeLimiterEventType> events = Record(limiter);
        using var cts = new CancellationTokenSource();
        TimeLimiterScope scope = limiter.BeginScope(cts.Token);
        await cts.CancelAsync();

        Exception error = scope.RecordFailure(new OperationCanceledException(scope.Token));

        error.Should().BeAssignableTo<OperationCanceledException>().Which.CancellationToken.Should().Be(cts.Token);
        events.Should().BeEmpty();
    }

    [Fact]
    public void RecordFailure_OrdinaryException_ReturnsItWithErrorEvent()
    {
        Limiter limiter = Create(_time);
        List<TimeLimiterEventType> events = Record(limiter);
        var failure = new InvalidOperationException();

        limiter.BeginScope().RecordFailure(failure).Should().BeSameAs(failure);

        events.Should().Equal(TimeLimiterEventType.Error);
    }

    [Fact]
    public async Task WaitAsync_CompletedTask_IsReturnedAsItIsWithoutTimer()
    {
        Limiter limiter = Create(_time);
        Task<int> done = Task.FromResult(5);

        ValueTask<int> call = limiter.BeginScope().WaitAsync(new ValueTask<int>(done));

        Task<int> returned = call.AsTask();
        returned.Should().BeSameAs(done);
        (await returned).Should().Be(5);
    }

    [Fact]
    public async Task WaitAsync_PendingOperation_TimesOutFromTheWait()
    {
        Limiter limiter = Create(_time);
        TimeLimiterScope scope = limiter.BeginScope();
        var operation = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        CancellationToken token = scope.Token;

        ValueTask<int> call = scope.WaitAsync(new ValueTask<int>(operation.Task));
        _time.Advance(JustBefore);
        call.IsCompleted.Should().BeFalse();
        _time.Advance(OneMillisecond);

        (await CaptureAsync(call)).Should().BeOfType<TimeLimiterTimeoutException>();
        token.IsCancellationRequested.Should().BeTrue();
        operation.SetResult(1);
    }

    [Fact]
    public void Default_EveryMember_ThrowsInvalidOperation()
    {
        TimeLimiterScope scope = default;

        FluentActions.Invoking(() => scope.Token).Should().Throw<InvalidOperationException>().WithMessage("*BeginScope*");
        FluentActions.Invoking(() => scope.RecordSuccess()).Should().Throw<InvalidOperationException>();
        FluentActions.Invoking(() => scope.RecordFailure(new InvalidOperationException())).Should().Throw<InvalidOperationException>();
        FluentActions.Invoking(() => scope.StartTimeout()).Should().Throw<InvalidOperationException>();
        FluentActions.Invoking(() => { _ = scope.WaitAsync(new ValueTask<int>(1)); }).Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public void RecordSuccess_SecondCompletion_ThrowsEvenWhenThePooledScopeIsReused()
    {
        Limiter limiter = Create(_time);
        List<TimeLimiterEventType> events = Record(limiter);
        TimeLimiterScope scope = limiter.BeginScope();
        scope.RecordSuccess();

        FluentActions.Invoking(() => scope.RecordSuccess()).Should().Throw<InvalidOperationException>().WithMessage("*already completed*");
        TimeLimiterScope next = limiter.BeginScope();
        FluentActions.Invoking(() => scope.RecordFailure(new InvalidOperationException())).Should().Throw<InvalidOperationException>();
        FluentActions.Invoking(() => scope.Token).Should().Throw<InvalidOperationException>("a stale copy must not reach the next call's token");
        next.RecordSuccess();

        events.Should().Equal(TimeLimiterEventType.Success, TimeLimiterEventType.Success);
    }

    [Fact]
    public async Task WaitAsync_ScopeUsedAfterTheRace_Throws()
    {
        Limiter limiter = Create(_time);
        TimeLimiterScope scope = limiter.BeginScope();
        var operation = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        ValueTask<int> call = scope.WaitAsync(new ValueTask<int>(operation.Task));

        FluentActions.Invoking(() => scope.RecordSuccess()).Should().Throw<InvalidOperationException>();
        FluentActions.Invoking(() => { _ = scope.WaitAsync(new ValueTask<int>(1)); }).Should().Throw<InvalidOperationException>();

        operation.SetResult(1);
        (await call.AsTask().WaitAsync(SafetyWait)).Should().Be(1);
    }

    [Fact]
    public void StartTimeout_Twice_Throws()
    {
        TimeLimiterScope scope = Create(_time).BeginScope();
        scope.StartTimeout();

        FluentActions.Invoking(() => scope.StartTimeout()).Should().Throw<InvalidOperationException>();
        scope.RecordSuccess();
    }
}
