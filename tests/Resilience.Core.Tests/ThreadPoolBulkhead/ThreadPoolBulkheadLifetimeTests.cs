using Microsoft.Extensions.Time.Testing;
using PoolBulkhead = Resilience.ThreadPoolBulkhead;

namespace Resilience.Tests.ThreadPoolBulkhead;

/// <summary>Threads over time: keep-alive of threads above the core size (driven by a fake clock), and disposal.</summary>
public class ThreadPoolBulkheadLifetimeTests
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromMilliseconds(20);

    [Fact]
    public async Task KeepAlive_IdleThreadsAboveCore_ExitAfterTheDurationAndCoreThreadsStay()
    {
        var time = new FakeTimeProvider();
        using PoolBulkhead bulkhead = ThreadPoolBulkheadTestSupport.Create(core: 1, max: 3, queue: 0, time, KeepAlive);
        using var work = new BlockingWork();
        Task<int>[] tasks = [work.Submit(bulkhead), work.Submit(bulkhead), work.Submit(bulkhead)];
        work.Release();
        await Task.WhenAll(tasks).Within();
        bulkhead.Counts().Should().Be((3, 0, 0));

        time.Advance(KeepAlive - TimeSpan.FromMilliseconds(1));
        bulkhead.Counts().Should().Be((3, 0, 0), "the keep-alive has not elapsed");
        time.Advance(TimeSpan.FromMilliseconds(1));

        bulkhead.Counts().Should().Be((1, 0, 0), "threads above the core size exit; the core thread stays");
        time.Advance(TimeSpan.FromHours(1));
        bulkhead.Counts().Should().Be((1, 0, 0), "a core thread never times out");
    }

    [Fact]
    public async Task KeepAlive_ExtraThreadHandedWorkBeforeExpiry_DoesNotExitWhileBusy()
    {
        var time = new FakeTimeProvider();
        using PoolBulkhead bulkhead = ThreadPoolBulkheadTestSupport.Create(core: 1, max: 2, queue: 0, time, KeepAlive);
        using var core = new BlockingWork();
        Task<int> coreTask = core.Submit(bulkhead);
        await bulkhead.Submit(() => 1).Within(); // Starts the extra thread, which then idles with a keep-alive timer.
        time.Advance(KeepAlive / 2);
        using var extra = new BlockingWork();

        Task<int> extraTask = extra.Submit(bulkhead, 2);
        time.Advance(KeepAlive * 10);

        bulkhead.Counts().Should().Be((2, 2, 0), "the extra thread was handed a task: its timer was stopped");
        extra.Release();
        (await extraTask.Within()).Should().Be(2);
        time.Advance(KeepAlive);
        bulkhead.Counts().Should().Be((1, 1, 0), "idle again, it expires after a fresh keep-alive");
        core.Release();
        await coreTask.Within();
    }

    [Fact]
    public async Task KeepAlive_Zero_ExtraThreadExitsAsSoonAsItIsIdle()
    {
        using PoolBulkhead bulkhead = ThreadPoolBulkheadTestSupport.Create(core: 1, max: 2, queue: 0, keepAlive: TimeSpan.Zero);
        using var work = new BlockingWork();
        Task<int>[] tasks = [work.Submit(bulkhead), work.Submit(bulkhead)];
        bulkhead.Counts().Should().Be((2, 2, 0));

        work.Release();
        await Task.WhenAll(tasks).Within();

        bulkhead.Counts().Should().Be((1, 0, 0), "the thread count is updated before the task completes");
    }

    [Fact]
    public async Task KeepAlive_AfterExtraThreadsExit_NewOnesStartWhenTheQueueFillsAgain()
    {
        var time = new FakeTimeProvider();
        using PoolBulkhead bulkhead = ThreadPoolBulkheadTestSupport.Create(core: 1, max: 2, queue: 0, time, KeepAlive, name: "again");
        using var first = new BlockingWork();
        Task<int>[] tasks = [first.Submit(bulkhead), first.Submit(bulkhead)];
        first.Release();
        await Task.WhenAll(tasks).Within();
        time.Advance(KeepAlive);
        bulkhead.Counts().Should().Be((1, 0, 0));
        using var second = new BlockingWork();

        Task<int> a = second.Submit(bulkhead);
        Task<string?> b = bulkhead.Submit(static () => Thread.CurrentThread.Name);

        (await b.Within()).Should().Be("bulkhead-again-3", "thread numbers keep counting");
        second.Release();
        await a.Within();
    }

    [Fact]
    public async Task Dispose_WithQueuedAndRunningTasks_CancelsQueuedLetsRunningFinishAndJoinsThreads()
    {
        PoolBulkhead bulkhead = ThreadPoolBulkheadTestSupport.Create(core: 1, max: 1, queue: 2);
        Thread worker = await bulkhead.Submit(static () => Thread.CurrentThread).Within();
        using var work = new BlockingWork();
        Task<int> running = work.Submit(bulkhead, 7);
        work.WaitStarted();
        Task<int> queued1 = bulkhead.Submit(() => 1);
        Task queued2 = bulkhead.Submit(() => { });

        Task disposing = Task.Run(bulkhead.Dispose);

        await ((Func<Task>)(() => queued1.Within())).Should().ThrowAsync<OperationCanceledException>("queued tasks that have not started are cancelled");
        await ((Func<Task>)(() => queued2.Within())).Should().ThrowAsync<OperationCanceledException>();
        ((Action)(() => bulkhead.Submit(() => 2))).Should().Throw<ObjectDisposedException>();
        bulkhead.Counts().Should().Be((1, 1, 0), "the running task keeps its thread");
        work.Release();
        (await running.Within()).Should().Be(7, "a running task finishes");
        await disposing.Within();
        worker.Join(ThreadPoolBulkheadTestSupport.Safety).Should().BeTrue("the worker thread exits");
        bulkhead.Counts().Should().Be((0, 0, 0));
    }

    [Fact]
    public async Task DisposeAsync_IdleThreads_ExitAndLaterCallsDoNothing()
    {
        PoolBulkhead bulkhead = ThreadPoolBulkheadTestSupport.Create(core: 2, max: 2, queue: 0);
        Thread first = await bulkhead.Submit(static () => Thread.CurrentThread).Within();
        Thread second = await bulkhead.Submit(static () => Thread.CurrentThread).Within();

        await bulkhead.DisposeAsync();

        first.Should().NotBeSameAs(second);
        first.Join(ThreadPoolBulkheadTestSupport.Safety).Should().BeTrue();
        second.Join(ThreadPoolBulkheadTestSupport.Safety).Should().BeTrue();
        bulkhead.Counts().Should().Be((0, 0, 0));
        await bulkhead.DisposeAsync();
        bulkhead.Dispose();
    }

    [Fact]
    public void Dispose_NeverUsed_ReturnsAndSubmitThrowsObjectDisposed()
    {
        var bulkhead = new PoolBulkhead("unused");

        bulkhead.Dispose();
        bulkhead.Dispose();

        ((Action)(() => bulkhead.Submit(() => 1))).Should().Throw<ObjectDisposedException>();
        ((Action)(() => bulkhead.Submit(static (_, _) => 1, 0, new CancellationToken(canceled: true)))).Should().Throw<ObjectDisposedException>();
    }

    [Fact]
    public async Task Dispose_CalledFromOwnWorker_DoesNotWaitForItself()
    {
        PoolBulkhead bulkhead = ThreadPoolBulkheadTestSupport.Create(core: 1, max: 1, queue: 0);

        await bulkhead.Submit(() => bulkhead.Dispose()).Within();

        ((Action)(() => bulkhead.Submit(() => 1))).Should().Throw<ObjectDisposedException>();
    }
}
