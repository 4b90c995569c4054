using Microsoft.Extensions.Time.Testing;
using Resilience.Tests.Bulkhead;
using static Resilience.Tests.Stress.ConcurrentRunner;
using SemaphoreBulkhead = Resilience.Bulkhead;

namespace Resilience.Tests.Stress;

/// <summary>
/// Races waiters' time-outs (fake time advanced by a dedicated thread) and cancellations against releases, and checks
/// exact invariants: no permit is lost or created, no more holders than permits, every call ends exactly once, and
/// waiters are served in arrival order when the bulkhead is fair.
/// </summary>
[Collection(StressTestGroup.Name)]
public class BulkheadStressTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AcquireAndRelease_TimeoutsAndCancellationsRaceReleases_ReturnEveryPermit(bool fair)
    {
        const int capacity = 2;
        const int callsPerThread = 1_000;
        var time = new FakeTimeProvider();
        var bulkhead = new SemaphoreBulkhead("stress", new BulkheadOptions
        {
            MaxConcurrentCalls = capacity,
            MaxWaitDuration = TimeSpan.FromMilliseconds(5),
            FairCallHandlingEnabled = fair,
        }, time);
        int permittedEvents = 0, rejectedEvents = 0, finishedEvents = 0;
        bulkhead.Events.CallPermitted += _ => Interlocked.Increment(ref permittedEvents);
        bulkhead.Events.CallRejected += _ => Interlocked.Increment(ref rejectedEvents);
        bulkhead.Events.CallFinished += _ => Interlocked.Increment(ref finishedEvents);
        int holders = 0, maxHolders = 0, granted = 0, rejected = 0, cancelled = 0, completed = 0, workersDone = 0;

        Run(Threads + 1, thread =>
        {
            if (thread == Threads)
            {
                AdvanceUntil(time, () => Volatile.Read(ref workersDone) == Threads);
                return;
            }

            var random = new Random(thread);
            try
            {
                RunCalls(random);
            }
            finally
            {
                // Also on failure, so that the time-advancing thread stops and the failure is reported.
                Interlocked.Increment(ref workersDone);
            }
        });

        void RunCalls(Random random)
        {
            for (int i = 0; i < callsPerThread; i++)
            {
                using var cts = new CancellationTokenSource();
                int kind = random.Next(4);
                bool got = true;
                BulkheadPermit permit;
                try
                {
                    switch (kind)
                    {
                        case 0:
                            permit = Acquired(bulkhead.AcquirePermissionAsync(CancellationToken.None).AsTask());
                            break;
                        case 1:
                            permit = Acquired(AcquireThenCancel(bulkhead, cts));
                            break;
                        case 2:
                            permit = bulkhead.AcquirePermission();
                            break;
                        default:
                            got = bulkhead.TryAcquirePermission(out permit);
                            break;
                    }
                }
                catch (Exception ex) when (Unwrap(ex) is OperationCanceledException)
                {
                    Interlocked.Increment(ref cancelled);
                    continue;
                }
                catch (Exception ex) when (Unwrap(ex) is BulkheadFullException)
                {
                    got = false;
                    permit = default;
                }

                if (!got)
                {
                    Interlocked.Increment(ref rejected);
                    continue;
                }

                Interlocked.Increment(ref granted);
                int now = Interlocked.Increment(ref holders);
                InterlockedMax(ref maxHolders, now);
                if (random.Next(4) == 0)
                {
                    Thread.Yield(); // Let a waiter's time-out or cancellation race this holder's release.
                }
                else
                {
                    Thread.SpinWait(random.Next(200));
                }

                Interlocked.Decrement(ref holders);
                if (random.Next(2) == 0)
                {
                    permit.Complete();
                    Interlocked.Increment(ref completed);
                }
                else
                {
                    permit.Release();
                }
            }
        }

        maxHolders.Should().BeLessThanOrEqualTo(capacity);
        string counts = $"granted {granted}, rejected {rejected}, cancelled {cancelled}";
        (granted + rejected + cancelled).Should().Be(Threads * callsPerThread, "every call ends exactly once ({0})", counts);
        rejected.Should().BePositive("the test must race time-outs ({0})", counts);
        cancelled.Should().BePositive("the test must race cancellations ({0})", counts);
        bulkhead.GetMetrics().Should().Be(new BulkheadMetrics { AvailableConcurrentCalls = capacity, MaxAllowedConcurrentCalls = capacity, WaitingCalls = 0 }, "every permit is back");
        permittedEvents.Should().Be(granted);
        rejectedEvents.Should().Be(rejected);
        finishedEvents.Should().Be(completed);
        bulkhead.Hold(capacity);
        bulkhead.TryAcquirePermission(out _).Should().BeFalse("no permit was created either");
    }

    [Fact]
    public void AcquirePermissionAsync_FairWithRacingTimeoutsAndCancellations_GrantsInArrivalOrder()
    {
        const int calls = 5_000;
        var time = new FakeTimeProvider();
        var bulkhead = new SemaphoreBulkhead("fifo", new BulkheadOptions { MaxConcurrentCalls = 1, MaxWaitDuration = TimeSpan.FromMilliseconds(20) }, time);
        var tasks = new Task<BulkheadPermit>[calls];
        var tokens = new CancellationTokenSource[calls];
        var grantOrder = new List<int>();
        int enqueued = 0, resolved = 0, timedOut = 0, cancelled = 0;
        using var stop = new CancellationTokenSource();

        Run(4, role =>
        {
            try
            {
                RunRole(role);
            }
            catch
            {
                // Stop the other roles, so that the failure is reported instead of hanging the run.
                stop.Cancel();
                throw;
            }
        });

        void RunRole(int role)
        {
            switch (role)
            {
                case 0: // The only caller, so arrival order is index order.
                    for (int i = 0; i < calls && !stop.IsCancellationRequested; i++)
                    {
                        tokens[i] = new CancellationTokenSource();
                        tasks[i] = bulkhead.AcquirePermissionAsync(tokens[i].Token).AsTask();
                        Volatile.Write(ref enqueued, i + 1);
                    }

                    break;
                case 1: // Cancels random waiters.
                    var random = new Random(1);
                    while (Volatile.Read(ref resolved) < calls && !stop.IsCancellationRequested)
                    {
                        int count = Volatile.Read(ref enqueued);
                        if (count > 0 && random.Next(3) == 0)
                        {
                            tokens[random.Next(Math.Max(0, count - 50), count)].Cancel();
                        }

                        Thread.Yield();
                    }

                    break;
                case 2:
                    AdvanceUntil(time, () => Volatile.Read(ref resolved) == calls || stop.IsCancellationRequested);
                    break;
                default: // Releases each grant as soon as it sees it (every 100th only after 25 ms of fake time, so that waiters behind it time out); with one permit, grants are totally ordered.
                    var seen = new bool[calls];
                    int cursor = 0;
                    BulkheadPermit held = default;
                    DateTimeOffset releaseAt = default;
                    bool holding = false;
                    while (cursor < calls && !stop.IsCancellationRequested)
                    {
                        if (holding && time.GetUtcNow() >= releaseAt)
                        {
                            held.Complete();
                            holding = false;
                        }

                        int count = Volatile.Read(ref enqueued);
                        for (int i = cursor; i < count; i++)
                        {
                            Task<BulkheadPermit> task = tasks[i];
                            if (seen[i] || !task.IsCompleted)
                            {
                                continue;
                            }

                            seen[i] = true;
                            Interlocked.Increment(ref resolved);
                            if (task.IsCompletedSuccessfully)
                            {
                                grantOrder.Add(i);
                                if (grantOrder.Count % 100 == 0)
                                {
                                    held = task.Result;
                                    releaseAt = time.GetUtcNow() + TimeSpan.FromMilliseconds(25);
                                    holding = true;
                                }
                                else
                                {
                                    task.Result.Complete();
                                }
                            }
                            else if (task.IsCanceled)
                            {
                                cancelled++;
                            }
                            else
                            {
                                task.Exception!.InnerException.Should().BeOfType<BulkheadFullException>();
                                timedOut++;
                            }
                        }

                        while (cursor < count && seen[cursor])
                        {
                            cursor++;
                        }
                    }

                    if (holding)
                    {
                        held.Complete();
                    }

                    break;
            }
        }

        grantOrder.Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        (grantOrder.Count + timedOut + cancelled).Should().Be(calls);
        grantOrder.Should().NotBeEmpty();
        timedOut.Should().BePositive("the test must race time-outs");
        cancelled.Should().BePositive("the test must race cancellations");
        bulkhead.GetMetrics().Should().Be(new BulkheadMetrics { AvailableConcurrentCalls = 1, MaxAllowedConcurrentCalls = 1, WaitingCalls = 0 });
        foreach (CancellationTokenSource cts in tokens)
        {
            cts.Dispose();
        }
    }

    [Fact]
    public void AcquirePermissionAsync_FairCallerRacesReleases_NeverTakesAPermitAheadOfAWaiter()
    {
        // One caller keeps a few waiters queued while the releaser frees each granted permit at once: a release that
        // lands while the caller is being admitted must still go to the oldest waiter, never to the new call.
        const int calls = 10_000;
        const int queued = 3;
        var bulkhead = new SemaphoreBulkhead("barging", new BulkheadOptions { MaxConcurrentCalls = 1, MaxWaitDuration = TimeSpan.FromDays(1) }, new FakeTimeProvider());
        var tasks = new Task<BulkheadPermit>[calls];
        var grantOrder = new List<int>(calls);
        int enqueued = 0, granted = 0;
        using var stop = new CancellationTokenSource();

        Run(2, role =>
        {
            try
            {
                if (role == 0)
                {
                    for (int i = 0; i < calls && !stop.IsCancellationRequested; i++)
                    {
                        while (i - Volatile.Read(ref granted) >= queued && !stop.IsCancellationRequested)
                        {
                            Thread.Yield();
                        }
                        tasks[i] = bulkhead.AcquirePermissionAsync().AsTask();
                        Volatile.Write(ref enqueued, i + 1);
                    }

                    return;
                }

                var seen = new bool[calls];
                int cursor = 0;
                var watch = System.Diagnostics.Stopwatch.StartNew();
                while (cursor < calls && !stop.IsCancellationRequested)
                {
                    if (watch.Elapsed > Safety)
                    {
                        throw new TimeoutException($"call {cursor} was never granted its permit");
                    }

                    int count = Volatile.Read(ref enqueued);
                    for (int i = cursor; i < count; i++)
                    {
                        if (!seen[i] && tasks[i].IsCompleted)
                        {
                            seen[i] = true;
                            grantOrder.Add(i);
                            Volatile.Write(ref granted, grantOrder.Count);
                            tasks[i].Result.Complete();
                        }
                    }

                    while (cursor < count && seen[cursor])
                    {
                        cursor++;
                    }
                }
            }
            catch
            {
                stop.Cancel();
                throw;
            }
        });

        grantOrder.Should().HaveCount(calls).And.BeInAscendingOrder("a fair bulkhead grants in arrival order");
        bulkhead.GetMetrics().Should().Be(new BulkheadMetrics { AvailableConcurrentCalls = 1, MaxAllowedConcurrentCalls = 1, WaitingCalls = 0 });
    }

    private static void AdvanceUntil(FakeTimeProvider time, Func<bool> done)
    {
        while (!done())
        {
            time.Advance(TimeSpan.FromMilliseconds(1));
            Thread.Yield();
        }
    }

    private static Task<BulkheadPermit> AcquireThenCancel(SemaphoreBulkhead bulkhead, CancellationTokenSource cts)
    {
        Task<BulkheadPermit> acquire = bulkhead.AcquirePermissionAsync(cts.Token).AsTask();
        cts.Cancel();
        return acquire;
    }

    private static BulkheadPermit Acquired(Task<BulkheadPermit> acquire)
    {
        if (!acquire.Wait(Safety))
        {
            throw new TimeoutException("a waiter never completed");
        }

        return acquire.Result;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current = Volatile.Read(ref target);
        while (value > current)
        {
            int seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private static Exception Unwrap(Exception ex) => ex is AggregateException { InnerException: { } inner } ? inner : ex;
}
