using System.Collections.Concurrent;
using PoolBulkhead = Resilience.ThreadPoolBulkhead;

namespace Resilience.Tests.ThreadPoolBulkhead;

/// <summary>The sizing rules of Java's ThreadPoolExecutor: core threads first, then the queue, then extra threads, then rejection.</summary>
public class ThreadPoolBulkheadTests
{
    [Fact]
    public async Task Submit_FewerThanCoreThreads_StartsThreadEvenIfOneIsIdle()
    {
        using PoolBulkhead bulkhead = ThreadPoolBulkheadTestSupport.Create(core: 2, max: 2, queue: 5);

        (await bulkhead.Submit(() => 1).Within()).Should().Be(1);
        bulkhead.Counts().Should().Be((1, 0, 0), "the first thread stays, idle");
        (await bulkhead.Submit(() => 2).Within()).Should().Be(2);

        bulkhead.Counts().Should().Be((2, 0, 0), "below the core size a task starts a thread even when one is idle");
    }

    [Fact]
    public async Task Submit_StepByStep_CoreThenQueueThenExtraThreadsThenRejection()
    {
        using PoolBulkhead bulkhead = ThreadPoolBulkheadTestSupport.Create(core: 1, max: 3, queue: 2);
        using var work = new BlockingWork();
        var tasks = new List<Task<int>>();

        tasks.Add(work.Submit(bulkhead, 0));
        bulkhead.Counts().Should().Be((1, 1, 0), "the first task starts the core thread");
        tasks.Add(work.Submit(bulkhead, 1));
        bulkhead.Counts().Should().Be((1, 1, 1), "with the core thread busy, the next task is queued");
        tasks.Add(work.Submit(bulkhead, 2));
        bulkhead.Counts().Should().Be((1, 1, 2), "no extra thread while the queue has room");
        tasks.Add(work.Submit(bulkhead, 3));
        bulkhead.Counts().Should().Be((2, 2, 2), "a full queue starts an extra thread");
        tasks.Add(work.Submit(bulkhead, 4));
        bulkhead.Counts().Should().Be((3, 3, 2));
        Action rejected = () => work.Submit(bulkhead, 5);

        rejected.Should().Throw<BulkheadFullException>("max threads busy and queue full; thrown synchronously")
            .Which.BulkheadName.Should().Be("b");
        bulkhead.GetMetrics().Should().Be(new ThreadPoolBulkheadMetrics
        {
            CoreThreadPoolSize = 1,
            MaximumThreadPoolSize = 3,
            ThreadPoolSize = 3,
            ActiveThreadCount = 3,
            QueueDepth = 2,
            QueueCapacity = 2,
        });
        bulkhead.GetMetrics().AvailableThreadCount.Should().Be(0);
        bulkhead.GetMetrics().RemainingQueueCapacity.Should().Be(0);
        work.Release();
        (await Task.WhenAll(tasks).Within()).Should().Equal(0, 1, 2, 3, 4);
        (int threads, int active, int queued) = bulkhead.Counts();
        (active, queued).Should().Be((0, 0));
        threads.Should().BeInRange(1, 3, "extra threads leave only after the keep-alive");
    }

    [Fact]
    public async Task Submit_HandOffQueue_AcceptsOnlyWhenAThreadCanTakeTheTask()
    {
        using PoolBulkhead bulkhead = ThreadPoolBulkheadTestSupport.Create(core: 1, max: 2, queue: 0, keepAlive: TimeSpan.FromHours(1));
        using var first = new BlockingWork();
        using var second = new BlockingWork();
        Task<int> a = first.Submit(bulkhead, 1);
        Task<int> b = second.Submit(bulkhead, 2);
        bulkhead.Counts().Should().Be((2, 2, 0), "with no queue the second task starts an extra thread at once");

        Action rejected = () => bulkhead.Submit(() => 3);

        rejected.Should().Throw<BulkheadFullException>();
        first.Release();
        (await a.Within()).Should().Be(1);
        bulkhead.Counts().Should().Be((2, 1, 0), "the finished thread waits, idle, for a hand-off");
        (await bulkhead.Submit(() => 3).Within()).Should().Be(3, "an idle thread takes the task");
        bulkhead.Counts().Should().Be((2, 1, 0));
        second.Release();
        (await b.Within()).Should().Be(2);
    }

    [Fact]
    public async Task Submit_QueuedTasks_RunInFifoOrder()
    {
        using PoolBulkhead bulkhead = ThreadPoolBulkheadTestSupport.Create(core: 1, max: 1, queue: 20);
        using var work = new BlockingWork();
        Task<int> blocker = work.Submit(bulkhead);
        var order = new ConcurrentQueue<int>();

        Task[] queued = [.. Enumerable.Range(0, 20).Select(i => bulkhead.Submit(static (s, _) => s.order.Enqueue(s.i), (order, i)))];
        bulkhead.Counts().Should().Be((1, 1, 20));
        work.Release();
        await blocker.Within();
        await Task.WhenAll(queued).Within();

        order.Should().Equal(Enumerable.Range(0, 20));
    }

    [Fact]
    public async Task Submit_Threads_AreBackgroundThreadsNamedAfterTheBulkhead()
    {
        using PoolBulkhead bulkhead = ThreadPoolBulkheadTestSupport.Create(core: 2, max: 2, queue: 0, name: "inventory");
        using var work = new BlockingWork();
        Task<int> blocker = work.Submit(bulkhead);

        (string? Name, bool IsBackground, bool IsPoolThread) second =
            await bulkhead.Submit(static () => (Thread.CurrentThread.Name, Thread.CurrentThread.IsBackground, Thread.CurrentThread.IsThreadPoolThread)).Within();

        second.Should().Be(("bulkhead-inventory-2", true, false));
        work.Release();
        await blocker.Within();
    }

    [Fact]
    public async Task Submit_ActionOverloads_RunAndComplete()
    {
        using PoolBulkhead bulkhead = ThreadPoolBulkheadTestSupport.Create(core: 1, max: 1, queue: 1);
        int ran = 0;
        var box = new StrongBox(1);

        await bulkhead.Submit(() => { Interlocked.Increment(ref ran); }).Within();
        await bulkhead.Submit((Action<StrongBox, CancellationToken>)(static (r, _) => r.Value++), box).Within();

        ran.Should().Be(1);
        box.Value.Should().Be(2);
    }

    [Fact]
    public async Task Submit_StateOverload_PassesStateAndToken()
    {
        using PoolBulkhead bulkhead = ThreadPoolBulkheadTestSupport.Create(core: 1, max: 1, queue: 1);
        using var cts = new CancellationTokenSource();

        (int State, CancellationToken Token) seen = await bulkhead.Submit(static (s, ct) => (s, ct), 41, cts.Token).Within();

        seen.Should().Be((41, cts.Token));
    }

    [Fact]
    public void Submit_NullDelegate_ThrowsArgumentNullException()
    {
        using PoolBulkhead bulkhead = ThreadPoolBulkheadTestSupport.Create(core: 1, max: 1, queue: 1);

        ((Action)(() => bulkhead.Submit((Func<int>)null!))).Should().Throw<ArgumentNullException>();
        ((Action)(() => bulkhead.Submit((Action)null!))).Should().Throw<ArgumentNullException>();
        ((Action)(() => bulkhead.Submit((Func<int, CancellationToken, int>)null!, 1))).Should().Throw<ArgumentNullException>();
        ((Action)(() => bulkhead.Submit((Action<int, CancellationToken>)null!, 1))).Should().Throw<ArgumentNullException>();
        bulkhead.Counts().Should().Be((0, 0, 0));
    }

    [Fact]
    public async Task GetMetrics_NewAndAfterWork_ReportsSizesAndZeroLoad()
    {
        using PoolBulkhead bulkhead = ThreadPoolBulkheadTestSupport.Create(core: 2, max: 4, queue: 10);
        var idle = new ThreadPoolBulkheadMetrics
        {
            CoreThreadPoolSize = 2,
            MaximumThreadPoolSize = 4,
            ThreadPoolSize = 0,
            ActiveThreadCount = 0,
            QueueDepth = 0,
            QueueCapacity = 10,
        };
        bulkhead.GetMetrics().Should().Be(idle, "no thread starts before the first task");
        bulkhead.GetMetrics().AvailableThreadCount.Should().Be(4);
        bulkhead.GetMetrics().RemainingQueueCapacity.Should().Be(10);

        await Task.WhenAll(bulkhead.Submit(() => 1), bulkhead.Submit(() => 2)).Within();

        bulkhead.GetMetrics().Should().Be(idle with { ThreadPoolSize = 2 }, "core threads stay");
    }

    private sealed class StrongBox(int value)
    {
        public int Value { get; set; } = value;
    }
}
