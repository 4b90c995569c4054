using System.Collections.Concurrent;
using Resilience.Tests.Stress;

namespace Resilience.Tests.Bulkhead;

/// <summary>
/// The behaviour every bulkhead shares, run against each one through an <see cref="IBulkheadUnderTest"/> adapter:
/// the semaphore <c>Bulkhead</c> and the <c>ThreadPoolBulkhead</c>.
/// </summary>
/// <remarks>
/// A call under test waits for a gate the test controls, then runs a body. The adapter decides how: the semaphore
/// bulkhead awaits the gate inside <c>ExecuteAsync</c>, the thread-pool bulkhead blocks on it on a worker thread.
/// Capacity is the number of calls the bulkhead accepts at once (permits, or threads plus queue slots). Derived
/// classes carry <c>[Collection(StressTestGroup.Name)]</c> because the contract includes a stress test.
/// </remarks>
public abstract class BulkheadContractTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);

    /// <summary>A bulkhead seen through the operations every bulkhead has.</summary>
    protected interface IBulkheadUnderTest : IDisposable
    {
        /// <summary>Gets the bulkhead's name.</summary>
        string Name { get; }

        /// <summary>Gets how many more calls would be accepted now.</summary>
        int AvailableCapacity { get; }

        /// <summary>Gets the number of permitted, rejected and finished events published so far.</summary>
        (int Permitted, int Rejected, int Finished) EventCounts { get; }

        /// <summary>
        /// Starts a call that waits for <paramref name="gate"/> and then returns <paramref name="body"/>'s value. A
        /// rejection surfaces as <see cref="BulkheadFullException"/>, thrown at once or from the returned task. The
        /// bulkhead gives its capacity back before the returned task completes.
        /// </summary>
        Task<int> Start(Task gate, Func<int> body, CancellationToken cancellationToken);
    }

    /// <summary>Creates a bulkhead named <paramref name="name"/> that accepts exactly <paramref name="capacity"/> calls at once and rejects the next one without waiting.</summary>
    protected abstract IBulkheadUnderTest Create(string name, int capacity);

    [Fact]
    public async Task Start_UpToCapacity_AcceptsThenRejectsWithBulkheadName()
    {
        using IBulkheadUnderTest bulkhead = Create("inventory", 3);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        Task<int>[] accepted = [.. Enumerable.Range(0, 3).Select(i => bulkhead.Start(gate.Task, () => i, CancellationToken.None))];
        Func<Task> rejected = () => StartAsync(bulkhead, gate.Task, () => 99);

        (await rejected.Should().ThrowAsync<BulkheadFullException>())
            .Which.BulkheadName.Should().Be("inventory");
        bulkhead.AvailableCapacity.Should().Be(0);
        gate.SetResult();
        (await Task.WhenAll(accepted).WaitAsync(Safety)).Should().Equal(0, 1, 2);
        bulkhead.AvailableCapacity.Should().Be(3);
    }

    [Fact]
    public async Task Start_AfterCallsComplete_AcceptsAgain()
    {
        using IBulkheadUnderTest bulkhead = Create("b", 1);

        for (int i = 0; i < 5; i++)
        {
            (await bulkhead.Start(Task.CompletedTask, () => i, CancellationToken.None).WaitAsync(Safety)).Should().Be(i);
            bulkhead.AvailableCapacity.Should().Be(1);
        }
    }

    [Fact]
    public async Task Start_BodyThrows_PropagatesUnchangedAndFreesCapacity()
    {
        using IBulkheadUnderTest bulkhead = Create("b", 1);
        var failure = new InvalidOperationException("boom");

        Func<Task> act = () => StartAsync(bulkhead, Task.CompletedTask, () => throw failure);

        (await act.Should().ThrowAsync<InvalidOperationException>()).Which.Should().BeSameAs(failure);
        bulkhead.AvailableCapacity.Should().Be(1);
        (await bulkhead.Start(Task.CompletedTask, () => 7, CancellationToken.None).WaitAsync(Safety)).Should().Be(7);
    }

    [Fact]
    public async Task Start_TokenAlreadyCancelled_ThrowsAndConsumesNothing()
    {
        using IBulkheadUnderTest bulkhead = Create("b", 1);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        bool ran = false;

        Func<Task> act = () => StartAsync(bulkhead, Task.CompletedTask, () => { ran = true; return 1; }, cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        ran.Should().BeFalse();
        bulkhead.AvailableCapacity.Should().Be(1);
        bulkhead.EventCounts.Rejected.Should().Be(0, "a cancelled call is not a rejection");
    }

    [Fact]
    public async Task Events_AfterAcceptedAndRejectedCalls_CountEachOnce()
    {
        using IBulkheadUnderTest bulkhead = Create("b", 2);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<int> first = bulkhead.Start(gate.Task, () => 1, CancellationToken.None);
        Task<int> second = bulkhead.Start(gate.Task, () => throw new InvalidOperationException(), CancellationToken.None);
        Func<Task> third = () => StartAsync(bulkhead, gate.Task, () => 3);
        await third.Should().ThrowAsync<BulkheadFullException>();

        gate.SetResult();
        await first.WaitAsync(Safety);
        await ((Func<Task>)(() => second.WaitAsync(Safety))).Should().ThrowAsync<InvalidOperationException>();

        bulkhead.EventCounts.Should().Be((2, 1, 2));
    }

    [Fact]
    [Trait("Category", "Stress")]
    public void Stress_RandomizedCallsAcrossThreads_ReturnEveryPermit()
    {
        const int capacity = 4;
        const int callsPerThread = 100_000 / ConcurrentRunner.Threads;
        using IBulkheadUnderTest bulkhead = Create("stress", capacity);
        int accepted = 0, rejected = 0, cancelled = 0;
        var failures = new ConcurrentQueue<Exception>();

        ConcurrentRunner.Run(ConcurrentRunner.Threads, thread =>
        {
            var random = new Random(thread);
            using var cts = new CancellationTokenSource();
            cts.Cancel();
            for (int i = 0; i < callsPerThread; i++)
            {
                int kind = random.Next(4);
                try
                {
                    Task<int> call = bulkhead.Start(
                        Task.CompletedTask,
                        kind == 1 ? static () => throw new InvalidOperationException() : static () => 1,
                        kind == 2 ? cts.Token : CancellationToken.None);
                    if (!call.Wait(Safety))
                    {
                        failures.Enqueue(new TimeoutException("A call did not complete within the safety limit."));
                        continue;
                    }

                    Interlocked.Increment(ref accepted);
                }
                catch (Exception ex) when (Unwrap(ex) is BulkheadFullException)
                {
                    Interlocked.Increment(ref rejected);
                }
                catch (Exception ex) when (Unwrap(ex) is OperationCanceledException)
                {
                    Interlocked.Increment(ref cancelled);
                }
                catch (Exception ex) when (Unwrap(ex) is InvalidOperationException)
                {
                    Interlocked.Increment(ref accepted);
                }
#pragma warning disable CA1031 // Anything else is a contract violation, reported below.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    failures.Enqueue(ex);
                }
            }
        });

        failures.Should().BeEmpty();
        (accepted + rejected + cancelled).Should().Be(callsPerThread * ConcurrentRunner.Threads);
        bulkhead.AvailableCapacity.Should().Be(capacity, "every permit is returned");
        (int permitted, int rejectedEvents, int finished) = bulkhead.EventCounts;
        permitted.Should().Be(accepted);
        finished.Should().Be(accepted);
        rejectedEvents.Should().Be(rejected);
    }

    /// <summary>Starts a call and awaits it, so that a synchronous throw and a faulted task look the same.</summary>
    protected static async Task<int> StartAsync(IBulkheadUnderTest bulkhead, Task gate, Func<int> body, CancellationToken cancellationToken = default) =>
        await bulkhead.Start(gate, body, cancellationToken).WaitAsync(Safety, CancellationToken.None);

    private static Exception Unwrap(Exception ex) => ex is AggregateException { InnerException: { } inner } ? inner : ex;
}
