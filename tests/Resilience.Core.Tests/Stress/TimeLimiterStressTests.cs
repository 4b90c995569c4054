using Microsoft.Extensions.Time.Testing;
using static Resilience.Tests.Stress.ConcurrentRunner;
using Limiter = Resilience.TimeLimiter;

namespace Resilience.Tests.Stress;

[Collection(StressTestGroup.Name)]
public class TimeLimiterStressTests
{
    private const int CallsPerThread = 200;
    private const int Batch = 20;
    private static readonly TimeSpan SafetyWait = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Many threads share one limiter (and its pools) with a 1 ms timeout. Each outcome is forced by the operation, not
    /// by timing: synchronous successes and failures complete before any timer can matter, operations that wait on
    /// their token forever can only time out, and operations that cancel their caller's token before going
    /// asynchronous can only be cancelled. So the counts of outcomes and of events are exact.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ExecuteAsync_ConcurrentMixedOutcomes_CountsAreExact(bool fakeClock)
    {
        var fake = new FakeTimeProvider();
        TimeProvider time = fakeClock ? fake : TimeProvider.System;
        var limiter = new Limiter("stress", new TimeLimiterOptions { TimeoutDuration = TimeSpan.FromMilliseconds(1) }, time);
        long successEvents = 0, timeoutEvents = 0, errorEvents = 0, anyEvents = 0;
        limiter.Events.Success += _ => Interlocked.Increment(ref successEvents);
        limiter.Events.Timeout += _ => Interlocked.Increment(ref timeoutEvents);
        limiter.Events.Error += _ => Interlocked.Increment(ref errorEvents);
        limiter.Events.Any += _ => Interlocked.Increment(ref anyEvents);
        long successes = 0, failures = 0, timeouts = 0, cancellations = 0;
        var failure = new InvalidOperationException("stress failure");

        using var stop = new CancellationTokenSource();
        var advancer = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                fake.Advance(TimeSpan.FromMilliseconds(1));
                Thread.Yield();
            }
        }) { IsBackground = true };
        if (fakeClock)
        {
            advancer.Start();
        }

        try
        {
            Run(Threads, _ =>
            {
                for (int start = 0; start < CallsPerThread; start += Batch)
                {
                    var calls = new (Task Task, int Kind, CancellationTokenSource? Caller)[Batch];
                    for (int i = 0; i < Batch; i++)
                    {
                        calls[i] = Start(limiter, (start + i) % 4, failure);
                    }

                    EndAll(calls.Select(c => c.Task)).Should().BeTrue("every call ends");
                    foreach ((Task task, int kind, CancellationTokenSource? caller) in calls)
                    {
                        switch (kind)
                        {
                            case 0:
                                task.IsCompletedSuccessfully.Should().BeTrue();
                                Interlocked.Increment(ref successes);
                                break;
                            case 1:
                                task.Exception!.InnerException.Should().BeSameAs(failure);
                                Interlocked.Increment(ref failures);
                                break;
                            case 2:
                                task.Exception!.InnerException.Should().BeOfType<TimeLimiterTimeoutException>();
                                Interlocked.Increment(ref timeouts);
                                break;
                            default:
                                task.IsCanceled.Should().BeTrue();
                                Interlocked.Increment(ref cancellations);
                                caller!.Dispose();
                                break;
                        }
                    }
                }
            });
        }
        finally
        {
            stop.Cancel();
            if (fakeClock)
            {
                advancer.Join();
            }
        }

        long perKind = Threads * CallsPerThread / 4;
        (successes, failures, timeouts, cancellations).Should().Be((perKind, perKind, perKind, perKind));
        (Interlocked.Read(ref successEvents), Interlocked.Read(ref errorEvents), Interlocked.Read(ref timeoutEvents))
            .Should().Be((perKind, perKind, perKind), "one event per call, none for a caller's cancellation");
        Interlocked.Read(ref anyEvents).Should().Be(3 * perKind);

        CancellationToken last = default;
        await limiter.ExecuteAsync(ct => { last = ct; return ValueTask.CompletedTask; });
        last.IsCancellationRequested.Should().BeFalse("a cancelled source never returns to the pool");
    }

    /// <summary>Waits (bounded) until every task has ended, whatever its outcome.</summary>
    private static bool EndAll(IEnumerable<Task> tasks) =>
        Task.WhenAll(tasks).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Wait(SafetyWait);

    private static (Task Task, int Kind, CancellationTokenSource? Caller) Start(Limiter limiter, int kind, Exception failure)
    {
        switch (kind)
        {
            case 0:
                return (limiter.ExecuteAsync(static (s, _) => new ValueTask<int>(s), kind).AsTask(), kind, null);
            case 1:
                return (limiter.ExecuteAsync(static (f, _) => ValueTask.FromException<int>(f), failure).AsTask(), kind, null);
            case 2:
                return (limiter.ExecuteAsync(static async ct => { await Task.Delay(Timeout.Infinite, ct); return 0; }).AsTask(), kind, null);
            default:
                var caller = new CancellationTokenSource();
                Task task = limiter.ExecuteAsync(
                    static async (c, ct) => { c.Cancel(); await Task.Yield(); await Task.Delay(Timeout.Infinite, ct); return 0; },
                    caller,
                    caller.Token).AsTask();
                return (task, kind, caller);
        }
    }
}
