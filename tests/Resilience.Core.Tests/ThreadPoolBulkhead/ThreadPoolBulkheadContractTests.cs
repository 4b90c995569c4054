using Resilience.Tests.Bulkhead;
using Resilience.Tests.Stress;

namespace Resilience.Tests.ThreadPoolBulkhead;

/// <summary>The shared bulkhead contract, run against <see cref="Resilience.ThreadPoolBulkhead"/>.</summary>
/// <remarks>
/// A capacity of n is split between threads and queue (max = ⌈n/2⌉, queue = n − max, core 1), so the contract runs
/// through the core thread, the queue, the extra threads and, for n = 1, the hand-off queue.
/// </remarks>
[Collection(StressTestGroup.Name)]
public sealed class ThreadPoolBulkheadContractTests : BulkheadContractTests
{
    protected override IBulkheadUnderTest Create(string name, int capacity)
    {
        int max = (capacity + 1) / 2;
        var options = new ThreadPoolBulkheadOptions { CoreThreadPoolSize = 1, MaxThreadPoolSize = max, QueueCapacity = capacity - max };
        return new Adapter(new Resilience.ThreadPoolBulkhead(name, options));
    }

    private sealed class Adapter : IBulkheadUnderTest
    {
        private readonly Resilience.ThreadPoolBulkhead _bulkhead;
        private int _permitted;
        private int _rejected;
        private int _finished;

        public Adapter(Resilience.ThreadPoolBulkhead bulkhead)
        {
            _bulkhead = bulkhead;
            _bulkhead.Events.CallPermitted += _ => Interlocked.Increment(ref _permitted);
            _bulkhead.Events.CallRejected += _ => Interlocked.Increment(ref _rejected);
            _bulkhead.Events.CallFinished += _ => Interlocked.Increment(ref _finished);
        }

        public string Name => _bulkhead.Name;

        public int AvailableCapacity
        {
            get
            {
                ThreadPoolBulkheadMetrics metrics = _bulkhead.GetMetrics();
                return metrics.AvailableThreadCount + metrics.RemainingQueueCapacity;
            }
        }

        public (int Permitted, int Rejected, int Finished) EventCounts =>
            (Volatile.Read(ref _permitted), Volatile.Read(ref _rejected), Volatile.Read(ref _finished));

        public Task<int> Start(Task gate, Func<int> body, CancellationToken cancellationToken) =>
            _bulkhead.Submit(
                static (s, _) =>
                {
                    s.Gate.Wait(CancellationToken.None);
                    return s.Body();
                },
                (Gate: gate, Body: body),
                cancellationToken);

        public void Dispose() => _bulkhead.Dispose();
    }
}
