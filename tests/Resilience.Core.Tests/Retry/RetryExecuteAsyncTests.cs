using Microsoft.Extensions.Time.Testing;
using static Resilience.Tests.Retry.RetryTestSupport;
using RetryPrimitive = Resilience.Retry;

namespace Resilience.Tests.Retry;

public class RetryExecuteAsyncTests
{
    [Fact]
    public async Task ExecuteAsync_SyncFailuresThenSuccess_CompletesWithResult()
    {
        RetryPrimitive retry = NoWait();
        Func<int> func = FailThenReturn(2);

        (await retry.ExecuteAsync(_ => new ValueTask<int>(func()))).Should().Be(42);
    }

    [Fact]
    public async Task ExecuteAsync_AsyncFailuresThenSuccess_CompletesWithResult()
    {
        RetryPrimitive retry = NoWait(maxAttempts: 4);
        int calls = 0;

        int result = await retry.ExecuteAsync(async _ =>
        {
            await Task.Yield();
            return ++calls < 4 ? throw new InvalidOperationException() : calls;
        });

        result.Should().Be(4);
    }

    [Fact]
    public async Task ExecuteAsync_Exhausted_ThrowsLastException()
    {
        RetryPrimitive retry = NoWait();
        int calls = 0;

        Func<Task> call = async () => await retry.ExecuteAsync(async _ =>
        {
            await Task.Yield();
            throw new InvalidOperationException("attempt " + ++calls);
#pragma warning disable CS0162 // Unreachable: gives the lambda its type.
            return 0;
#pragma warning restore CS0162
        });

        await call.Should().ThrowAsync<InvalidOperationException>().WithMessage("attempt 3");
    }

    [Fact]
    public async Task ExecuteAsync_AllOverloads_RetryAndReturn()
    {
        RetryPrimitive retry = NoWait();
        var counts = new int[6];

        await retry.ExecuteAsync(_ => ++counts[0] < 2 ? throw new InvalidOperationException() : ValueTask.CompletedTask);
        await retry.ExecuteAsync(static (c, _) => ++c[1] < 2 ? throw new InvalidOperationException() : ValueTask.CompletedTask, counts);
        (await retry.ExecuteAsync(static (c, _) => ++c[2] < 2 ? throw new InvalidOperationException() : ValueTask.FromResult(c[2]), counts)).Should().Be(2);
        (await retry.ExecuteAsync(_ => ++counts[3] < 2 ? Task.FromException<int>(new InvalidOperationException()) : Task.FromResult(counts[3]))).Should().Be(2);
        await retry.ExecuteAsync(_ => ++counts[4] < 2 ? Task.FromException(new InvalidOperationException()) : Task.CompletedTask);
        await retry.ExecuteAsync(_ => ++counts[5] < 3 ? throw new InvalidOperationException() : Task.CompletedTask);

        counts.Should().Equal(2, 2, 2, 2, 2, 3);
        retry.GetMetrics().Should().Be(Metrics(successWith: 6, attempts: 13));
    }

    [Fact]
    public async Task ExecuteAsync_TaskOverloads_ReturnTheFirstTaskWhenItSucceeded()
    {
        RetryPrimitive retry = NoWait();
        Task<int> done = Task.FromResult(5);

        Task<int> returned = retry.ExecuteAsync(_ => done);

        returned.Should().BeSameAs(done);
        (await returned).Should().Be(5);
    }

    [Fact]
    public async Task ExecuteAsync_TaskResultRetried_RetriesAndReturns()
    {
        RetryPrimitive retry = NoWait(configure: o => o.RetryResultPredicate = r => (int)r! < 0);
        int calls = 0;

        (await retry.ExecuteAsync(_ => Task.FromResult(++calls < 3 ? -1 : 7))).Should().Be(7);
    }

    [Fact]
    public async Task ExecuteAsync_Wait_UsesTheTimeProvider()
    {
        var time = new FakeTimeProvider();
        var retry = new RetryPrimitive("async", new RetryOptions { WaitDuration = TimeSpan.FromSeconds(1) }, time);
        Func<int> func = FailThenReturn(1);

        ValueTask<int> call = retry.ExecuteAsync(_ => new ValueTask<int>(func()));
        time.Advance(TimeSpan.FromMilliseconds(999));
        call.IsCompleted.Should().BeFalse();
        time.Advance(TimeSpan.FromMilliseconds(1));

        (await call.AsTask().WaitAsync(SafetyTimeout)).Should().Be(42);
    }

    [Fact]
    public async Task ExecuteAsync_CancelledBefore_DoesNotCallAndCountsNothing()
    {
        RetryPrimitive retry = NoWait();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        int calls = 0;

        Func<Task> call = async () => await retry.ExecuteAsync(_ => new ValueTask<int>(++calls), cts.Token);
        Func<Task> task = () => retry.ExecuteAsync(_ => Task.FromResult(++calls), cts.Token);

        (await call.Should().ThrowAsync<OperationCanceledException>()).Which.CancellationToken.Should().Be(cts.Token);
        (await task.Should().ThrowAsync<OperationCanceledException>()).Which.CancellationToken.Should().Be(cts.Token);
        calls.Should().Be(0);
        retry.GetMetrics().Should().Be(default(RetryMetrics));
    }

    [Fact]
    public async Task ExecuteAsync_CallerCancelsDuringAttempt_IsNotRetriedNorFailed()
    {
        RetryPrimitive retry = NoWait(maxAttempts: 5);
        using var cts = new CancellationTokenSource();
        var events = retry.Record();
        int calls = 0;

        Func<Task> call = async () => await retry.ExecuteAsync(async ct =>
        {
            calls++;
            await cts.CancelAsync();
            ct.ThrowIfCancellationRequested();
            return 1;
        }, cts.Token);

        await call.Should().ThrowAsync<OperationCanceledException>();
        calls.Should().Be(1);
        events.Should().BeEmpty();
        retry.GetMetrics().Should().Be(Metrics(attempts: 1));
    }

    [Fact]
    public async Task ExecuteAsync_CancellationOfAnotherToken_IsRetried()
    {
        RetryPrimitive retry = NoWait();
        using var other = new CancellationTokenSource();
        await other.CancelAsync();
        int calls = 0;

        int result = await retry.ExecuteAsync(_ => ++calls < 3 ? throw new OperationCanceledException(other.Token) : ValueTask.FromResult(calls), CancellationToken.None);

        result.Should().Be(3);
    }

    [Fact]
    public async Task ExecuteAsync_CancelledDuringWait_EndsAtOnceWithCallersToken()
    {
        var time = new FakeTimeProvider();
        var retry = new RetryPrimitive("cancel", new RetryOptions { WaitDuration = TimeSpan.FromMinutes(5) }, time);
        using var cts = new CancellationTokenSource();
        int calls = 0;

        ValueTask<int> call = retry.ExecuteAsync(_ => ++calls < 5 ? throw new InvalidOperationException() : ValueTask.FromResult(1), cts.Token);
        call.IsCompleted.Should().BeFalse("the retry is waiting");
        await cts.CancelAsync();

        Func<Task> awaiting = () => call.AsTask().WaitAsync(SafetyTimeout);
        (await awaiting.Should().ThrowAsync<OperationCanceledException>()).Which.CancellationToken.Should().Be(cts.Token);
        calls.Should().Be(1);
        retry.GetMetrics().Should().Be(Metrics(attempts: 1));
    }

    [Fact]
    public async Task ExecuteAsync_VoidCancelledDuringWait_EndsWithCallersToken()
    {
        var time = new FakeTimeProvider();
        var retry = new RetryPrimitive("cancel", new RetryOptions { WaitDuration = TimeSpan.FromMinutes(5) }, time);
        using var cts = new CancellationTokenSource();

        Task call = retry.ExecuteAsync(_ => Task.FromException(new InvalidOperationException()), cts.Token);
        await cts.CancelAsync();

        Func<Task> awaiting = () => call.WaitAsync(SafetyTimeout);
        (await awaiting.Should().ThrowAsync<OperationCanceledException>()).Which.CancellationToken.Should().Be(cts.Token);
    }

    [Fact]
    public async Task ExecuteAsync_RetriedAsyncDisposableResult_IsDisposedAsynchronously()
    {
        RetryPrimitive retry = NoWait(configure: o => o.RetryResultPredicate = r => ((AsyncDisposable)r!).Value < 0);
        var results = new List<AsyncDisposable>();
        int calls = 0;

        AsyncDisposable returned = await retry.ExecuteAsync(_ =>
        {
            var d = new AsyncDisposable(++calls < 2 ? -1 : 1);
            results.Add(d);
            return new ValueTask<AsyncDisposable>(d);
        });

        results[0].DisposedAsync.Should().BeTrue();
        results[0].DisposedSync.Should().BeFalse();
        returned.DisposedAsync.Should().BeFalse();
    }

    [Fact]
    public async Task ExecuteAsync_FailAfterMaxAttempts_ThrowsAndDisposesLastResult()
    {
        RetryPrimitive retry = NoWait(maxAttempts: 2, configure: o =>
        {
            o.RetryResultPredicate = _ => true;
            o.FailAfterMaxAttempts = true;
        });
        var results = new List<Disposable>();

        Func<Task> call = async () => await retry.ExecuteAsync(_ =>
        {
            var d = new Disposable(0);
            results.Add(d);
            return new ValueTask<Disposable>(d);
        });

        (await call.Should().ThrowAsync<MaxRetriesExceededException>()).Which.NumberOfAttempts.Should().Be(2);
        results.Should().HaveCount(2).And.OnlyContain(d => d.Disposed);
    }

    [Fact]
    public async Task ExecuteAsync_SynchronousThrow_IsHandedBackThroughTheTask()
    {
        RetryPrimitive retry = NoWait(maxAttempts: 1);

        ValueTask<int> call = retry.ExecuteAsync<int>(_ => throw new InvalidOperationException("sync"));

        call.IsFaulted.Should().BeTrue();
        Func<Task> awaiting = async () => await call;
        await awaiting.Should().ThrowAsync<InvalidOperationException>().WithMessage("sync");
    }

    [Fact]
    public async Task ExecuteAsync_TaskOverloadFirstAttemptCompleted_HandsBackTheCallersOwnTask()
    {
        RetryPrimitive retry = NoWait();
        Task<int> completed = Task.FromResult(42);

        Task<int> returned = retry.ExecuteAsync(_ => completed);

        returned.Should().BeSameAs(completed, "a task-backed result goes through unchanged, so converting it back allocates nothing");
        (await returned).Should().Be(42);
    }

#pragma warning disable CA2012 // The calls throw before a ValueTask exists.
    [Fact]
    public void ExecuteAsync_NullDelegates_Throw()
    {
        RetryPrimitive retry = NoWait();

        FluentActions.Invoking(() => { _ = retry.ExecuteAsync((Func<CancellationToken, ValueTask<int>>)null!); }).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => { _ = retry.ExecuteAsync((Func<CancellationToken, ValueTask>)null!); }).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => { _ = retry.ExecuteAsync((Func<CancellationToken, Task<int>>)null!); }).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => { _ = retry.ExecuteAsync((Func<CancellationToken, Task>)null!); }).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => { _ = retry.ExecuteAsync((Func<int, CancellationToken, ValueTask<int>>)null!, 1); }).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => { _ = retry.ExecuteAsync((Func<int, CancellationToken, ValueTask>)null!, 1); }).Should().Throw<ArgumentNullException>();
    }
#pragma warning restore CA2012
}
