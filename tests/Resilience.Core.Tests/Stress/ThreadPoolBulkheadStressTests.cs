using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using PoolBulkhead = Resilience.ThreadPoolBulkhead;

namespace Resilience.Tests.Stress;

[Collection(StressTestGroup.Name)]
[Trait("Category", "Stress")]
public class ThreadPoolBulkheadStressTests
{
    private const int Submissions = 100_000;
    private const int PerThread = Submissions / ConcurrentRunner.Threads;
    private const int Window = 24;
    private const int Rejected = 0, PreCancelled = 1, Accepted = 2, Succeeded = 3, Faulted = 4, CancelledUnrun = 5, CancelledRun = 6, Outcomes = 7;
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);

    [Fact]
    public void Submit_RandomizedAcrossThreads_EveryAcceptedTaskCompletesOnceAndCountsBalance()
    {
        // A fake clock that never moves: extra threads never time out, so the test measures hand-offs, not thread starts.
        using var bulkhead = new PoolBulkhead(
            "stress",
            new ThreadPoolBulkheadOptions { CoreThreadPoolSize = 2, MaxThreadPoolSize = 4, QueueCapacity = 8 },
            new FakeTimeProvider());
        int permittedEvents = 0, finishedEvents = 0, rejectedEvents = 0;
        bulkhead.Events.CallPermitted += _ => Interlocked.Increment(ref permittedEvents);
        bulkhead.Events.CallFinished += _ => Interlocked.Increment(ref finishedEvents);
        bulkhead.Events.CallRejected += _ => Interlocked.Increment(ref rejectedEvents);
        int[] runs = new int[Submissions];
        int[] totals = new int[Outcomes];
        var violations = new ConcurrentQueue<string>();

        ConcurrentRunner.Run(ConcurrentRunner.Threads, thread =>
        {
            var random = new Random(thread);
            int[] counts = new int[Outcomes]; // Per thread; added to the totals at the end.
            using var cancelled = new CancellationTokenSource();
            cancelled.Cancel();
            var inFlight = new List<(int Id, Task<int> Task, CancellationTokenSource? Cts)>(Window);
            for (int i = 0; i < PerThread; i++)
            {
                int id = (thread * PerThread) + i;
                int kind = random.Next(8);
                CancellationTokenSource? cts = kind == 2 ? new CancellationTokenSource() : null;
                CancellationToken token = kind switch { 1 => cancelled.Token, 2 => cts!.Token, _ => CancellationToken.None };
                Task<int> task;
                try
                {
                    task = bulkhead.Submit(static (s, ct) => Run(s.runs, s.id, s.kind, ct), (runs, id, kind), token);
                }
                catch (BulkheadFullException)
                {
                    cts?.Dispose();
                    counts[Rejected]++;
                    continue;
                }

                if (kind == 1)
                {
                    counts[PreCancelled] += task.IsCanceled ? 1 : 0;
                    continue;
                }

                cts?.Cancel();
                inFlight.Add((id, task, cts));
                if (inFlight.Count == Window)
                {
                    Drain(inFlight, runs, counts, violations);
                }
            }

            Drain(inFlight, runs, counts, violations);
            for (int k = 0; k < Outcomes; k++)
            {
                Interlocked.Add(ref totals[k], counts[k]);
            }
        });

        int rejected = totals[Rejected], accepted = totals[Accepted], succeeded = totals[Succeeded], faulted = totals[Faulted];
        int cancelledUnrun = totals[CancelledUnrun], cancelledRun = totals[CancelledRun];
        violations.Should().BeEmpty();
        runs.Should().OnlyContain(r => r == 0 || r == 1, "no task runs twice");
        int totalRuns = runs.Sum();
        ThreadPoolBulkheadMetrics metrics = bulkhead.GetMetrics();
        (metrics.QueueDepth, metrics.ActiveThreadCount).Should().Be((0, 0));
        metrics.ThreadPoolSize.Should().BeInRange(2, 4);
        (accepted + rejected + totals[PreCancelled]).Should().Be(Submissions);
        (succeeded + faulted + cancelledUnrun + cancelledRun).Should().Be(accepted, "every accepted task completed exactly once");
        (succeeded + faulted + cancelledRun).Should().Be(totalRuns);
        permittedEvents.Should().Be(totalRuns);
        finishedEvents.Should().Be(totalRuns);
        rejectedEvents.Should().Be(rejected);
        rejected.Should().BePositive("the bulkhead was saturated");
        cancelledUnrun.Should().BePositive("some tasks were cancelled while queued");
    }

    /// <summary>Waits for the calls in flight and classifies each outcome against the number of times it ran.</summary>
    private static void Drain(List<(int Id, Task<int> Task, CancellationTokenSource? Cts)> inFlight, int[] runs, int[] counts, ConcurrentQueue<string> violations)
    {
        foreach ((int Id, Task<int> Task, CancellationTokenSource? Cts) call in inFlight)
        {
            counts[Accepted]++;
            _ = Task.WaitAny([call.Task], Safety);
            int ran = Volatile.Read(ref runs[call.Id]);
            switch (call.Task.Status)
            {
                case TaskStatus.RanToCompletion when ran == 1 && call.Task.Result == call.Id: counts[Succeeded]++; break;
                case TaskStatus.Faulted when ran == 1 && call.Task.Exception!.InnerException is InvalidOperationException: counts[Faulted]++; break;
                case TaskStatus.Canceled when ran == 0: counts[CancelledUnrun]++; break;
                case TaskStatus.Canceled when ran == 1: counts[CancelledRun]++; break;
                default: violations.Enqueue($"task {call.Id}: {call.Task.Status} after {ran} runs"); break;
            }

            call.Cts?.Dispose();
        }

        inFlight.Clear();
    }

    private static int Run(int[] runs, int id, int kind, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref runs[id]);
        if (kind == 2)
        {
            cancellationToken.ThrowIfCancellationRequested();
        }

        return kind == 0 ? throw new InvalidOperationException() : id;
    }
}
