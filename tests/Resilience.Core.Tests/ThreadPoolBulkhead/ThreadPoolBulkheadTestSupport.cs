using PoolBulkhead = Resilience.ThreadPoolBulkhead;

namespace Resilience.Tests.ThreadPoolBulkhead;

/// <summary>Builds bulkheads for tests and occupies their threads with work that blocks until released.</summary>
internal static class ThreadPoolBulkheadTestSupport
{
    /// <summary>A bound on waits for other threads; reached only when a test is broken.</summary>
    public static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);

    public static PoolBulkhead Create(
        int core, int max, int queue, TimeProvider? timeProvider = null, TimeSpan? keepAlive = null, bool flowExecutionContext = true, string name = "b") =>
        new(
            name,
            new ThreadPoolBulkheadOptions
            {
                CoreThreadPoolSize = core,
                MaxThreadPoolSize = max,
                QueueCapacity = queue,
                KeepAliveDuration = keepAlive ?? ThreadPoolBulkheadConstants.DefaultKeepAliveDuration,
                FlowExecutionContext = flowExecutionContext,
            },
            timeProvider);

    public static (int Threads, int Active, int Queued) Counts(this PoolBulkhead bulkhead)
    {
        ThreadPoolBulkheadMetrics metrics = bulkhead.GetMetrics();
        return (metrics.ThreadPoolSize, metrics.ActiveThreadCount, metrics.QueueDepth);
    }

    public static async Task<T> Within<T>(this Task<T> task) => await task.WaitAsync(Safety);

    public static async Task Within(this Task task) => await task.WaitAsync(Safety);
}

/// <summary>Work that records that it started, then blocks its worker thread until <see cref="Release"/>.</summary>
internal sealed class BlockingWork : IDisposable
{
    private readonly ManualResetEventSlim _gate = new();
    private readonly SemaphoreSlim _started = new(0);

    /// <summary>Submits a task that returns <paramref name="value"/> once released.</summary>
    public Task<int> Submit(PoolBulkhead bulkhead, int value = 0) =>
        bulkhead.Submit(
            static (s, _) =>
            {
                s.Work._started.Release();
                s.Work._gate.Wait(ThreadPoolBulkheadTestSupport.Safety, CancellationToken.None);
                return s.Value;
            },
            (Work: this, Value: value));

    /// <summary>Waits until <paramref name="count"/> more tasks have started.</summary>
    public void WaitStarted(int count = 1)
    {
        for (int i = 0; i < count; i++)
        {
            _started.Wait(ThreadPoolBulkheadTestSupport.Safety).Should().BeTrue("a blocked task should have started");
        }
    }

    public void Release() => _gate.Set();

    public void Dispose()
    {
        _gate.Set();
        _gate.Dispose();
        _started.Dispose();
    }
}
