using PoolBulkhead = Resilience.ThreadPoolBulkhead;

namespace Resilience.Tests.ThreadPoolBulkhead;

/// <summary>The thread-pool bulkhead as a layer of the composition seam (<see cref="IAsyncResilienceLayer"/>).</summary>
public class ThreadPoolBulkheadLayerTests
{
    [Fact]
    public async Task ExecuteAsync_AsynchronousCall_RunsOnAWorkerAndWaitsForIt()
    {
        using PoolBulkhead bulkhead = ThreadPoolBulkheadTestSupport.Create(core: 1, max: 1, queue: 1);
        int caller = Environment.CurrentManagedThreadId;

        (int Thread, int Value) result = await bulkhead.ExecuteAsync(
            static async (v, ct) => { int thread = Environment.CurrentManagedThreadId; await Task.Yield(); return (thread, v); }, 7).AsTask().Within();

        result.Value.Should().Be(7);
        result.Thread.Should().NotBe(caller);
    }

    [Fact]
    public async Task ExecuteAsync_TokenAlreadyCancelled_ReturnsCancelledTaskAndConsumesNothing()
    {
        using PoolBulkhead bulkhead = ThreadPoolBulkheadTestSupport.Create(core: 1, max: 1, queue: 0);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        int events = 0;
        bulkhead.Events.Any += _ => events++;
        bool ran = false;

        ValueTask<int> call = bulkhead.ExecuteAsync((_, _) => { ran = true; return ValueTask.FromResult(1); }, 0, cts.Token);

        call.IsCanceled.Should().BeTrue();
        ran.Should().BeFalse();
        bulkhead.Counts().Should().Be((0, 0, 0), "no thread was started");
        events.Should().Be(0);
    }

    [Fact]
    public async Task ExecuteAsync_Full_FaultsTheTaskInsteadOfThrowing()
    {
        using PoolBulkhead bulkhead = ThreadPoolBulkheadTestSupport.Create(core: 1, max: 1, queue: 0);
        using var gate = new ManualResetEventSlim();
        Task<int> busy = bulkhead.Submit(() => { gate.Wait(); return 1; });

        ValueTask<int> refused = bulkhead.ExecuteAsync(static (_, _) => ValueTask.FromResult(2), 0);

        refused.IsFaulted.Should().BeTrue();
        Func<Task> awaitRefused = () => refused.AsTask();
        await awaitRefused.Should().ThrowAsync<BulkheadFullException>();
        gate.Set();
        (await busy.Within()).Should().Be(1);
    }
}
