using Microsoft.Extensions.Time.Testing;
using static Resilience.Tests.TimeLimiter.TimeLimiterTestSupport;
using Limiter = Resilience.TimeLimiter;

namespace Resilience.Tests.TimeLimiter;

public class TimeLimiterTests
{
    private readonly FakeTimeProvider _time = NewClock();

    [Fact]
    public async Task ExecuteAsync_SynchronousSuccess_ReturnsResultWithLiveToken()
    {
        Limiter limiter = Create(_time);
        CancellationToken seen = default;

        int result = await limiter.ExecuteAsync(static (s, ct) => { s.Seen(ct); return new ValueTask<int>(41 + 1); }, new TokenSink(t => seen = t));

        result.Should().Be(42);
        seen.CanBeCanceled.Should().BeTrue("the operation gets the limiter's own token");
        seen.IsCancellationRequested.Should().BeFalse();
    }

    [Fact]
    public async Task ExecuteAsync_AsyncSuccessJustBeforeTimeout_ReturnsResult()
    {
        Limiter limiter = Create(_time);
        var operation = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);

        ValueTask<int> call = limiter.ExecuteAsync(_ => new ValueTask<int>(operation.Task));
        _time.Advance(JustBefore);
        call.IsCompleted.Should().BeFalse();
        operation.SetResult(7);

        (await call.AsTask().WaitAsync(SafetyWait)).Should().Be(7);
        _time.Advance(TimeSpan.FromSeconds(5)); // the disarmed timer must not fire into a later call
        (await limiter.ExecuteAsync(static _ => new ValueTask<int>(8))).Should().Be(8);
    }

    [Fact]
    public async Task ExecuteAsync_CooperativeOperationTimesOut_ThrowsTimeoutAndCancelsToken()
    {
        Limiter limiter = Create(_time);
        CancellationToken seen = default;

        ValueTask<int> call = limiter.ExecuteAsync(async ct => { seen = ct; await Task.Delay(System.Threading.Timeout.Infinite, ct); return 1; });
        _time.Advance(JustBefore);
        call.IsCompleted.Should().BeFalse();
        _time.Advance(OneMillisecond);

        Exception? error = await CaptureAsync(call);
        TimeLimiterTimeoutException timeout = error.Should().BeOfType<TimeLimiterTimeoutException>().Which;
        timeout.TimeLimiterName.Should().Be(Name);
        timeout.Timeout.Should().Be(Limit);
        timeout.Should().BeAssignableTo<ResilienceRejectedException>().And.NotBeAssignableTo<TimeoutException>("a time-out is recognised by type");
        timeout.Message.Should().Contain("'tl'").And.Contain("1000 ms");
        seen.IsCancellationRequested.Should().BeTrue();
    }

    [Fact]
    public async Task ExecuteAsync_OperationIgnoresToken_CallerReleasedExactlyAtTimeout()
    {
        Limiter limiter = Create(_time);
        var operation = new TaskCompletionSource<int>();
        CancellationToken seen = default;

        ValueTask<int> call = limiter.ExecuteAsync(ct => { seen = ct; return new ValueTask<int>(operation.Task); });
        _time.Advance(JustBefore);
        call.IsCompleted.Should().BeFalse("the timeout has not expired yet");
        _time.Advance(OneMillisecond);
        call.IsCompleted.Should().BeTrue("the caller does not wait for the operation");

        (await CaptureAsync(call)).Should().BeOfType<TimeLimiterTimeoutException>();
        seen.IsCancellationRequested.Should().BeTrue();
        operation.Task.IsCompleted.Should().BeFalse("the operation is abandoned, not awaited");
    }

    [Fact]
    public async Task ExecuteAsync_AbandonedOperationFailsLater_ItsExceptionIsObserved()
    {
        Limiter limiter = Create(_time);
        var operation = new TaskCompletionSource<int>();

        ValueTask<int> call = limiter.ExecuteAsync(_ => new ValueTask<int>(operation.Task));
        _time.Advance(Limit);
        (await CaptureAsync(call)).Should().BeOfType<TimeLimiterTimeoutException>();
        limiter.AbandonedFaultsObserved.Should().Be(0);

        operation.SetException(new InvalidOperationException("late"));

        // The race's continuation may run on the thread pool (the test runs under a synchronization context).
        SpinWait.SpinUntil(() => limiter.AbandonedFaultsObserved == 1, SafetyWait).Should().BeTrue("the race's continuation reads the abandoned task's exception");
    }

    [Fact]
    public async Task ExecuteAsync_CancelRunningTaskFalse_TimesOutWithoutCancellingToken()
    {
        Limiter limiter = Create(_time, cancelRunningTask: false);
        var operation = new TaskCompletionSource<int>();
        CancellationToken seen = default;
        using var caller = new CancellationTokenSource();

        ValueTask<int> call = limiter.ExecuteAsync(ct => { seen = ct; return new ValueTask<int>(operation.Task); }, caller.Token);
        _time.Advance(Limit);

        (await CaptureAsync(call)).Should().BeOfType<TimeLimiterTimeoutException>();
        seen.IsCancellationRequested.Should().BeFalse();
        await caller.CancelAsync();
        seen.IsCancellationRequested.Should().BeTrue("the operation still runs linked to the caller's token");
        operation.SetResult(1);
    }

    [Fact]
    public async Task ExecuteAsync_SynchronousOperationThrows_PropagatesSameException()
    {
        Limiter limiter = Create(_time);
        var failure = new InvalidOperationException("boom");

        Exception? error = await CaptureAsync(limiter.ExecuteAsync<int>(_ => throw failure));

        error.Should().BeSameAs(failure);
    }

    [Fact]
    public async Task ExecuteAsync_AsynchronousOperationFaults_PropagatesSameException()
    {
        Limiter limiter = Create(_time);
        var operation = new TaskCompletionSource<int>();
        var failure = new InvalidOperationException("boom");

        ValueTask<int> call = limiter.ExecuteAsync(_ => new ValueTask<int>(operation.Task));
        operation.SetException(failure);

        (await CaptureAsync(call)).Should().BeSameAs(failure);
        limiter.AbandonedFaultsObserved.Should().Be(0);
    }

    [Fact]
    public async Task ExecuteAsync_SynchronousPartPastTimeout_IsNotTimed()
    {
        Limiter limiter = Create(_time);
        bool cancelledDuringSyncPart = true;

        // As in Resilience4j, the timeout starts when the operation hands back a pending task.
        int result = await limiter.ExecuteAsync(ct =>
        {
            _time.Advance(Limit * 2);
            cancelledDuringSyncPart = ct.IsCancellationRequested;
            return new ValueTask<int>(1);
        });

        result.Should().Be(1);
        cancelledDuringSyncPart.Should().BeFalse();
    }

    [Fact]
    public async Task ExecuteAsync_PendingAfterSlowSyncPart_TimeoutRunsFromThePendingTask()
    {
        Limiter limiter = Create(_time);
        var never = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);

        ValueTask<int> call = limiter.ExecuteAsync(_ =>
        {
            _time.Advance(Limit * 0.9);
            return new ValueTask<int>(never.Task);
        });
        _time.Advance(Limit * 0.2);
        call.IsCompleted.Should().BeFalse("only 0.2 of the timeout has passed since the task was pending");
        _time.Advance(Limit * 0.8);

        (await CaptureAsync(call)).Should().BeOfType<TimeLimiterTimeoutException>();
    }

    [Fact]
    public async Task ExecuteAsync_SynchronousSuccessPastTimeout_ReturnsResult()
    {
        Limiter limiter = Create(_time);

        int result = await limiter.ExecuteAsync(_ => { _time.Advance(TimeSpan.FromSeconds(2)); return new ValueTask<int>(5); });

        result.Should().Be(5, "a result that is already there wins over a timer that fired meanwhile");
    }

    [Fact]
    public async Task ExecuteAsync_AfterTimeout_NextCallGetsFreshUncancelledToken()
    {
        Limiter limiter = Create(_time);
        CancellationToken first = default;
        ValueTask<int> call = limiter.ExecuteAsync(async ct => { first = ct; await Task.Delay(System.Threading.Timeout.Infinite, ct); return 1; });
        _time.Advance(Limit);
        (await CaptureAsync(call)).Should().BeOfType<TimeLimiterTimeoutException>();

        CancellationToken second = default;
        await limiter.ExecuteAsync(ct => { second = ct; return ValueTask.CompletedTask; });

        first.IsCancellationRequested.Should().BeTrue();
        second.IsCancellationRequested.Should().BeFalse();
        second.Should().NotBe(first, "a cancelled source never goes back to the pool");
    }

    [Fact]
    public async Task ExecuteAsync_AfterSuccess_ReusesPooledSource()
    {
        Limiter limiter = Create(_time);
        CancellationToken first = default, second = default;

        await limiter.ExecuteAsync(ct => { first = ct; return ValueTask.CompletedTask; });
        await limiter.ExecuteAsync(ct => { second = ct; return ValueTask.CompletedTask; });

        second.Should().Be(first, "an uncancelled source is reset and reused");
        second.IsCancellationRequested.Should().BeFalse();
    }

    [Fact]
    public async Task ExecuteAsync_InfiniteTimeout_NeverTimesOut()
    {
        Limiter limiter = Create(_time, System.Threading.Timeout.InfiniteTimeSpan);
        var operation = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);

        ValueTask<int> call = limiter.ExecuteAsync(_ => new ValueTask<int>(operation.Task));
        _time.Advance(TimeSpan.FromDays(365));
        call.IsCompleted.Should().BeFalse();
        operation.SetResult(3);

        (await call.AsTask().WaitAsync(SafetyWait)).Should().Be(3);
        limiter.TimeoutDuration.Should().Be(System.Threading.Timeout.InfiniteTimeSpan);
    }

    [Fact]
    public async Task ExecuteAsync_VoidValueTaskOverloads_SucceedAndTimeOut()
    {
        Limiter limiter = Create(_time);
        int runs = 0;

        await limiter.ExecuteAsync(_ => { runs++; return ValueTask.CompletedTask; });
        await limiter.ExecuteAsync(static (box, _) => { box[0]++; return ValueTask.CompletedTask; }, new int[1]);
        ValueTask call = limiter.ExecuteAsync(async ct => await Task.Delay(System.Threading.Timeout.Infinite, ct));
        _time.Advance(Limit);

        runs.Should().Be(1);
        (await CaptureAsync(call)).Should().BeOfType<TimeLimiterTimeoutException>();
    }

    [Fact]
    public async Task ExecuteAsync_TaskOverloads_SucceedAndTimeOut()
    {
        Limiter limiter = Create(_time);

        (await limiter.ExecuteAsync(_ => Task.FromResult(1))).Should().Be(1);
        (await limiter.ExecuteAsync(static (s, _) => new ValueTask<int>(Task.FromResult(s + 1)), 1)).Should().Be(2);
        await limiter.ExecuteAsync(_ => Task.CompletedTask);
        Task<int> typed = limiter.ExecuteAsync((Func<CancellationToken, Task<int>>)(async ct => { await Task.Delay(System.Threading.Timeout.Infinite, ct); return 1; }));
        Task untyped = limiter.ExecuteAsync(ct => Task.Delay(System.Threading.Timeout.Infinite, ct));
        _time.Advance(Limit);

        (await CaptureAsync(typed)).Should().BeOfType<TimeLimiterTimeoutException>();
        (await CaptureAsync(untyped)).Should().BeOfType<TimeLimiterTimeoutException>();
    }

    [Fact]
    public void ExecuteAsync_NullDelegate_Throws()
    {
        Limiter limiter = Create(_time);

        FluentActions.Invoking(() => limiter.ExecuteAsync((Func<CancellationToken, ValueTask<int>>)null!)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => { _ = limiter.ExecuteAsync((Func<CancellationToken, Task>)null!); }).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => limiter.ExecuteAsync((Func<int, CancellationToken, ValueTask>)null!, 1)).Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public async Task ExecuteAsync_SystemProvider_SucceedsAndReusesSource()
    {
        Limiter limiter = Create(TimeProvider.System, TimeSpan.FromHours(1));
        CancellationToken first = default, second = default;

        (await limiter.ExecuteAsync(ct => { first = ct; return new ValueTask<int>(1); })).Should().Be(1);
        (await limiter.ExecuteAsync(ct => { second = ct; return new ValueTask<int>(2); })).Should().Be(2);
        var operation = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        ValueTask<int> call = limiter.ExecuteAsync(_ => new ValueTask<int>(operation.Task));
        operation.SetResult(3);

        second.Should().Be(first);
        (await call.AsTask().WaitAsync(SafetyWait)).Should().Be(3);
    }

    private sealed class TokenSink(Action<CancellationToken> seen)
    {
        public void Seen(CancellationToken token) => seen(token);
    }
}
