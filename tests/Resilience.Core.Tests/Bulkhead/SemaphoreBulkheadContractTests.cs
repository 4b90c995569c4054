using Resilience.Tests.Stress;
using SemaphoreBulkhead = Resilience.Bulkhead;

namespace Resilience.Tests.Bulkhead;

/// <summary>Runs the shared bulkhead contract against the semaphore <see cref="SemaphoreBulkhead"/>.</summary>
[Collection(StressTestGroup.Name)]
public class SemaphoreBulkheadContractTests : BulkheadContractTests
{
    protected override IBulkheadUnderTest Create(string name, int capacity) =>
        new Adapter(new SemaphoreBulkhead(name, new BulkheadOptions { MaxConcurrentCalls = capacity }));

    /// <summary>Awaits the gate inside <see cref="SemaphoreBulkhead.ExecuteAsync{TState, TResult}(Func{TState, CancellationToken, ValueTask{TResult}}, TState, CancellationToken)"/>.</summary>
    private sealed class Adapter : IBulkheadUnderTest
    {
        private readonly SemaphoreBulkhead _bulkhead;
        private int _permitted;
        private int _rejected;
        private int _finished;

        public Adapter(SemaphoreBulkhead bulkhead)
        {
            _bulkhead = bulkhead;
            bulkhead.Events.CallPermitted += _ => Interlocked.Increment(ref _permitted);
            bulkhead.Events.CallRejected += _ => Interlocked.Increment(ref _rejected);
            bulkhead.Events.CallFinished += _ => Interlocked.Increment(ref _finished);
        }

        public string Name => _bulkhead.Name;

        public int AvailableCapacity => _bulkhead.GetMetrics().AvailableConcurrentCalls;

        public (int Permitted, int Rejected, int Finished) EventCounts =>
            (Volatile.Read(ref _permitted), Volatile.Read(ref _rejected), Volatile.Read(ref _finished));

        public Task<int> Start(Task gate, Func<int> body, CancellationToken cancellationToken) =>
            _bulkhead.ExecuteAsync(
                static async (s, _) =>
                {
                    await s.gate.ConfigureAwait(false);
                    return s.body();
                },
                (gate, body),
                cancellationToken).AsTask();

        public void Dispose()
        {
        }
    }
}
