using Microsoft.Extensions.Time.Testing;
using static Resilience.Tests.TimeLimiter.TimeLimiterTestSupport;
using Limiter = Resilience.TimeLimiter;

namespace Resilience.Tests.TimeLimiter;

public class TimeLimiterCancellationTests
{
    private readonly FakeTimeProvider _time = NewClock();

    [Fact]
    public async Task ExecuteAsync_CallerCancelledBefore_DoesNotInvokeAndIsCanceled()
    {
        Limiter limiter = Create(_time);
        using var caller = new CancellationTokenSource();
        await caller.CancelAsync();
        int invoked = 0;

        ValueTask<int> call = limiter.ExecuteAsync(_ => { invoked++; return new ValueTask<int>(1); }, caller.Token);

        call.IsCanceled.Should().BeTrue();
        OperationCanceledException canceled = (await CaptureAsync(call)).Should().BeAssignableTo<OperationCanceledException>().Which;
        canceled.CancellationToken.Should().Be(caller.Token);
        invoked.Should().Be(0);
    }

    [Fact]
    public async Task ExecuteAsync_CallerCancelsCooperativeOperation_PropagatesCallerCancellationNotTimeout()
    {
        Limiter limiter = Create(_time);
        using var caller = new CancellationTokenSource();
        CancellationToken seen = default;
        var events = new List<TimeLimiterEvent>();
        limiter.Events.Any += events.Add;

        ValueTask<int> call = limiter.ExecuteAsync(async ct => { seen = ct; await Task.Delay(System.Threading.Timeout.Infinite, ct); return 1; }, caller.Token);
        await caller.CancelAsync();

        OperationCanceledException canceled = (await CaptureAsync(call)).Should().BeAssignableTo<OperationCanceledException>().Which;
        canceled.Should().NotBeAssignableTo<TimeoutException>();
        canceled.CancellationToken.Should().Be(caller.Token);
        seen.IsCancellationRequested.Should().BeTrue("the operation's token is linked to the caller's");
        events.Should().BeEmpty("a caller's cancellation is neither a success, an error nor a timeout");
    }

    [Fact]
    public async Task ExecuteAsync_CallerCancelsOperationIgnoringToken_CallerReleasedAtOnce()
    {
        Limiter limiter = Create(_time);
        using var caller = new CancellationTokenSource();
        var operation = new TaskCompletionSource<int>();

        ValueTask<int> call = limiter.ExecuteAsync(_ => new ValueTask<int>(operation.Task), caller.Token);
        caller.Cancel();

        call.IsCompleted.Should().BeTrue();
        (await CaptureAsync(call)).Should().BeAssignableTo<OperationCanceledException>()
            .Which.CancellationToken.Should().Be(caller.Token);
        _time.Advance(Limit);
        operation.SetResult(1);
    }

    [Fact]
    public async Task ExecuteAsync_CallerCancelsDuringSynchronousOperation_PropagatesCallerCancellation()
    {
        Limiter limiter = Create(_time);
        using var caller = new CancellationTokenSource();

        ValueTask<int> call = limiter.ExecuteAsync(
            ct => { caller.Cancel(); ct.ThrowIfCancellationRequested(); return new ValueTask<int>(1); },
            caller.Token);

        call.IsCanceled.Should().BeTrue();
        (await CaptureAsync(call)).Should().BeAssignableTo<OperationCanceledException>()
            .Which.CancellationToken.Should().Be(caller.Token);
    }

    [Fact]
    public async Task ExecuteAsync_CallerCancelsAfterTimeout_CallerStillGetsTimeout()
    {
        Limiter limiter = Create(_time);
        using var caller = new CancellationTokenSource();
        var operation = new TaskCompletionSource<int>();

        ValueTask<int> call = limiter.ExecuteAsync(_ => new ValueTask<int>(operation.Task), caller.Token);
        _time.Advance(Limit);
        await caller.CancelAsync();

        (await CaptureAsync(call)).Should().BeOfType<TimeLimiterTimeoutException>();
        operation.SetResult(1);
    }

    [Fact]
    public async Task ExecuteAsync_AfterCallerCancellation_NextCallGetsFreshToken()
    {
        Limiter limiter = Create(_time);
        using var caller = new CancellationTokenSource();
        CancellationToken first = default, second = default;
        ValueTask<int> call = limiter.ExecuteAsync(async ct => { first = ct; await Task.Delay(System.Threading.Timeout.Infinite, ct); return 1; }, caller.Token);
        await caller.CancelAsync();
        (await CaptureAsync(call)).Should().BeAssignableTo<OperationCanceledException>();

        await limiter.ExecuteAsync(ct => { second = ct; return ValueTask.CompletedTask; }, CancellationToken.None);

        second.Should().NotBe(first);
        second.IsCancellationRequested.Should().BeFalse();
    }

    [Fact]
    public async Task ExecuteAsync_CancelledCallerTokenAfterSuccess_DoesNotReachPooledSource()
    {
        Limiter limiter = Create(_time);
        using var caller = new CancellationTokenSource();
        CancellationToken first = default, second = default;

        await limiter.ExecuteAsync(ct => { first = ct; return ValueTask.CompletedTask; }, caller.Token);
        await caller.CancelAsync();
        await limiter.ExecuteAsync(ct => { second = ct; return ValueTask.CompletedTask; });

        second.Should().Be(first, "the registration on the caller's token was removed before the source was pooled");
        second.IsCancellationRequested.Should().BeFalse();
    }

    [Fact]
    public async Task ExecuteAsync_SystemProvider_CallerCancellationIsNotTimeout()
    {
        Limiter limiter = Create(TimeProvider.System, TimeSpan.FromHours(1));
        using var caller = new CancellationTokenSource();

        ValueTask<int> call = limiter.ExecuteAsync(async ct => { await Task.Delay(System.Threading.Timeout.Infinite, ct); return 1; }, caller.Token);
        await caller.CancelAsync();

        (await CaptureAsync(call)).Should().BeAssignableTo<OperationCanceledException>()
            .Which.CancellationToken.Should().Be(caller.Token);
    }

    [Fact]
    public async Task ExecuteAsync_AbandonedOperationsFail_NoUnobservedTaskException()
    {
        // Weak by nature: a missing observation may go unreported if the GC does not finalize the task in time, but
        // a reported one is a real failure. The exact check is AbandonedFaultsObserved in TimeLimiterTests.
        const string Marker = "time-limiter-abandoned-fault";
        int unobserved = 0;
        void OnUnobserved(object? sender, UnobservedTaskExceptionEventArgs e)
        {
            if (e.Exception.InnerExceptions.Any(x => x.Message == Marker))
            {
                Interlocked.Increment(ref unobserved);
            }
        }

        Limiter limiter = Create(_time);
        TaskScheduler.UnobservedTaskException += OnUnobserved;
        try
        {
            await RunAbandonedFailuresAsync(limiter, Marker, calls: 20);
            SpinWait.SpinUntil(() => limiter.AbandonedFaultsObserved == 20, SafetyWait).Should().BeTrue();
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
        }
        finally
        {
            TaskScheduler.UnobservedTaskException -= OnUnobserved;
        }

        unobserved.Should().Be(0);
    }

    private async Task RunAbandonedFailuresAsync(Limiter limiter, string marker, int calls)
    {
        var operations = new List<TaskCompletionSource<int>>();
        var callTasks = new List<Task>();
        for (int i = 0; i < calls; i++)
        {
            var operation = new TaskCompletionSource<int>();
            operations.Add(operation);
            callTasks.Add(limiter.ExecuteAsync(_ => new ValueTask<int>(operation.Task)).AsTask());
        }

        _time.Advance(Limit);
        foreach (Task call in callTasks)
        {
            (await CaptureAsync(call)).Should().BeOfType<TimeLimiterTimeoutException>();
        }

        operations.ForEach(o => o.SetException(new InvalidOperationException(marker)));
    }
}
