using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Resilience.Internal;
using static Resilience.Tests.Stress.ConcurrentRunner;
using Breaker = Resilience.CircuitBreaker;
using Resilience.Tests.CircuitBreaker;

namespace Resilience.Tests.Stress;

[Collection(StressTestGroup.Name)]
public class CircuitBreakerStressTests
{
    private const int CallsPerThread = 5_000;
    private static readonly TimeSpan SlowThreshold = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan FastDuration = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan SlowDuration = TimeSpan.FromSeconds(2);

    [Theory]
    [InlineData(SlidingWindowType.CountBased, CountWindow.MaxSize)]
    [InlineData(SlidingWindowType.TimeBased, 10)]
    public void RecordSuccessAndRecordFailure_ConcurrentRecords_MetricsAreExact(SlidingWindowType type, int size)
    {
        var breaker = new Breaker("stress", new CircuitBreakerOptions
        {
            SlidingWindowType = type,
            SlidingWindowSize = size,
            MinimumNumberOfCalls = int.MaxValue, // never decides, so the window is never replaced
            SlowCallDurationThreshold = SlowThreshold,
        }, new FakeTimeProvider());
        var failure = new InvalidOperationException("recorded");

        Run(Threads, _ =>
        {
            for (int i = 0; i < CallsPerThread; i++)
            {
                switch (OutcomeOf(i))
                {
                    case CallOutcome.Success: breaker.RecordSuccess(FastDuration); break;
                    case CallOutcome.Failure: breaker.RecordFailure(FastDuration, failure); break;
                    case CallOutcome.SlowSuccess: breaker.RecordSuccess(SlowDuration); break;
                    default: breaker.RecordFailure(SlowDuration, failure); break;
                }
            }
        });

        WindowCounts expected = ExpectedCounts(Threads, CallsPerThread);
        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        metrics.NumberOfBufferedCalls.Should().Be(expected.Total);
        metrics.NumberOfFailedCalls.Should().Be(expected.Failed);
        metrics.NumberOfSlowCalls.Should().Be(expected.Slow);
        metrics.NumberOfSlowFailedCalls.Should().Be(expected.SlowFailed);
        breaker.State.Should().Be(CircuitBreakerState.Closed);
    }

    [Fact]
    public void TryAcquirePermission_HalfOpenRacedByManyThreads_AdmitsExactlyThePermits()
    {
        const int permits = 10;
        const int attemptsPerThread = 8; // 64 attempts in all
        const int rounds = 500;
        var breaker = new Breaker("stress", new CircuitBreakerOptions { PermittedNumberOfCallsInHalfOpenState = permits }, new FakeTimeProvider());
        var admitted = new int[rounds];
        var notPermitted = new long[rounds];
        using var barrier = new Barrier(Threads + 1);

        Run(Threads + 1, index =>
        {
            for (int round = 0; round < rounds; round++)
            {
                if (index == Threads)
                {
                    breaker.TransitionToOpenState();
                    breaker.TransitionToHalfOpenState();
                }

                barrier.SignalAndWait();
                if (index < Threads)
                {
                    for (int a = 0; a < attemptsPerThread; a++)
                    {
                        if (breaker.TryAcquirePermission(out _))
                        {
                            Interlocked.Increment(ref admitted[round]);
                        }
                    }
                }

                barrier.SignalAndWait();
                if (index == Threads)
                {
                    notPermitted[round] = breaker.GetMetrics().NumberOfNotPermittedCalls;
                }
            }
        });

        admitted.Should().AllSatisfy(n => n.Should().Be(permits));
        notPermitted.Should().AllSatisfy(n => n.Should().Be((Threads * attemptsPerThread) - permits));
    }

    [Fact]
    public void TryAcquirePermission_RacingAfterOpenWait_TransitionsOnceAndAdmitsExactlyThePermits()
    {
        const int permits = 10;
        const int rounds = 300;
        var time = new FakeTimeProvider();
        var breaker = new Breaker("stress", new CircuitBreakerOptions
        {
            PermittedNumberOfCallsInHalfOpenState = permits,
            WaitDurationInOpenState = TimeSpan.FromSeconds(5),
        }, time);
        var toHalfOpen = new int[rounds];
        var admitted = new int[rounds];
        int currentRound = 0;
        breaker.Events.StateTransition += e =>
        {
            if (e.ToState == CircuitBreakerState.HalfOpen)
            {
                Interlocked.Increment(ref toHalfOpen[Volatile.Read(ref currentRound)]);
            }
        };
        using var barrier = new Barrier(Threads + 1);

        Run(Threads + 1, index =>
        {
            for (int round = 0; round < rounds; round++)
            {
                if (index == Threads)
                {
                    Volatile.Write(ref currentRound, round);
                    breaker.TransitionToOpenState();
                    time.Advance(TimeSpan.FromSeconds(5)); // the wait is over; the next call moves it to half-open
                }

                barrier.SignalAndWait();
                if (index < Threads)
                {
                    for (int a = 0; a < 8; a++)
                    {
                        if (breaker.TryAcquirePermission(out _))
                        {
                            Interlocked.Increment(ref admitted[round]);
                        }
                    }
                }

                barrier.SignalAndWait();
            }
        });

        toHalfOpen.Should().AllSatisfy(n => n.Should().Be(1));
        admitted.Should().AllSatisfy(n => n.Should().Be(permits));
    }

    [Fact]
    public void RecordFailure_ManyThreadsTripAndRecover_EachTransitionPublishedExactlyOnce()
    {
        const int rounds = 100;
        var failures = new List<string>();
        for (int round = 0; round < rounds; round++)
        {
            var time = new FakeTimeProvider();
            var breaker = new Breaker("stress", new CircuitBreakerOptions
            {
                SlidingWindowSize = 100,
                MinimumNumberOfCalls = 100,
                FailureRateThreshold = 50,
                PermittedNumberOfCallsInHalfOpenState = 10,
                WaitDurationInOpenState = TimeSpan.FromSeconds(10),
                AutomaticTransitionFromOpenToHalfOpenEnabled = true,
            }, time);
            var transitions = new ConcurrentQueue<CircuitBreakerEvent>();
            int rateExceeded = 0;
            breaker.Events.StateTransition += transitions.Enqueue;
            breaker.Events.FailureRateExceeded += _ => Interlocked.Increment(ref rateExceeded);
            var failure = new InvalidOperationException("recorded");

            // Trip: far more failures than the window needs, from every thread at once.
            Run(Threads, _ =>
            {
                for (int i = 0; i < 200; i++)
                {
                    if (breaker.TryAcquirePermission(out CircuitBreakerPermit permit))
                    {
                        permit.RecordFailure(FastDuration, failure);
                    }
                }
            });
            Check(round, "after tripping", breaker, transitions, rateExceeded, CircuitBreakerState.Open, failures);

            time.Advance(TimeSpan.FromSeconds(10));
            Check(round, "after the wait", breaker, transitions, rateExceeded, CircuitBreakerState.HalfOpen, failures);

            // Recover: every thread races for trial permits and reports successes.
            Run(Threads, _ =>
            {
                for (int i = 0; i < 20; i++)
                {
                    if (breaker.TryAcquirePermission(out CircuitBreakerPermit permit))
                    {
                        permit.RecordSuccess(FastDuration);
                    }
                }
            });
            Check(round, "after recovering", breaker, transitions, rateExceeded, CircuitBreakerState.Closed, failures);
        }

        failures.Should().BeEmpty();

        static void Check(int round, string when, Breaker breaker, ConcurrentQueue<CircuitBreakerEvent> transitions, int rateExceeded, CircuitBreakerState expected, List<string> failures)
        {
            CircuitBreakerEvent[] events = [.. transitions];
            (CircuitBreakerState From, CircuitBreakerState To)[] all =
            [
                (CircuitBreakerState.Closed, CircuitBreakerState.Open),
                (CircuitBreakerState.Open, CircuitBreakerState.HalfOpen),
                (CircuitBreakerState.HalfOpen, CircuitBreakerState.Closed),
            ];
            int count = expected switch { CircuitBreakerState.Open => 1, CircuitBreakerState.HalfOpen => 2, _ => 3 };
            string actual = string.Join(", ", events.Select(e => $"{e.FromState}->{e.ToState}"));
            if (!events.Select(e => (e.FromState, e.ToState)).SequenceEqual(all.Take(count)))
            {
                failures.Add($"round {round} {when}: transitions were [{actual}]");
            }

            if (rateExceeded != 1)
            {
                failures.Add($"round {round} {when}: {rateExceeded} failure-rate-exceeded events");
            }

            if (breaker.State != expected || events.Length == 0 || events[^1].ToState != breaker.State)
            {
                failures.Add($"round {round} {when}: state {breaker.State}, expected {expected}, last event [{actual}]");
            }
        }
    }

    [Fact]
    public void ReleasePaths_ManyThreadsInHalfOpen_NoPermitIsLost()
    {
        const int permits = 10;
        const int iterationsPerThread = 4_000;
        var breaker = new Breaker("stress", new CircuitBreakerOptions
        {
            PermittedNumberOfCallsInHalfOpenState = permits,
            MinimumNumberOfCalls = 1_000, // no trial outcome is ever recorded here, so no decision is made
            IgnoreExceptions = { typeof(IgnoredException) },
        }, new FakeTimeProvider());
        breaker.TransitionToOpenState();
        breaker.TransitionToHalfOpenState();
        var unexpected = new ConcurrentQueue<string>();
        long admittedCalls = 0;

        Run(Threads, index =>
        {
            var ignored = new IgnoredException();
#pragma warning disable CA5394 // A seeded pseudo-random schedule makes a failure reproducible.
            var random = new Random(1_000 + index);
            var held = new List<CircuitBreakerPermit>();
            for (int i = 0; i < iterationsPerThread; i++)
            {
                int path = random.Next(6);
#pragma warning restore CA5394
                switch (path)
                {
                    case 0: // hold a few permits for a while, then give them all back
                        while (held.Count < 3 && breaker.TryAcquirePermission(out CircuitBreakerPermit permit))
                        {
                            held.Add(permit);
                        }

                        break;
                    case 1 when held.Count > 0:
                        held[^1].Release();
                        held.RemoveAt(held.Count - 1);
                        break;
                    case 2 when held.Count > 0:
                        held[^1].RecordFailure(FastDuration, ignored);
                        held.RemoveAt(held.Count - 1);
                        break;
                    case 3: // ExecuteAsync cancelled by the caller during the call: released, not recorded
                        using (var caller = new CancellationTokenSource())
                        {
                            Observe(breaker.ExecuteAsync(static (c, ct) => { c.Cancel(); return ValueTask.FromCanceled<int>(ct); }, caller, caller.Token), ref admittedCalls, unexpected);
                        }

                        break;
                    case 4: // ExecuteAsync failing with an ignored exception, asynchronously
                        Observe(breaker.ExecuteAsync(static _ => ValueTask.FromException<int>(new IgnoredException()), CancellationToken.None), ref admittedCalls, unexpected);
                        break;
                    default: // Execute failing with an ignored exception (wrapped in a single-inner AggregateException)
                        try
                        {
                            breaker.Execute(static () => throw new AggregateException(new IgnoredException()));
                        }
                        catch (AggregateException)
                        {
                            Interlocked.Increment(ref admittedCalls);
                        }
                        catch (CallNotPermittedException)
                        {
                        }

                        break;
                }
            }

            foreach (CircuitBreakerPermit permit in held)
            {
                permit.Release();
            }
        });

        unexpected.Should().BeEmpty();
        Interlocked.Read(ref admittedCalls).Should().BePositive("the test must exercise the release paths");
        breaker.State.Should().Be(CircuitBreakerState.HalfOpen);
        breaker.GetMetrics().NumberOfBufferedCalls.Should().Be(0);
        int granted = 0;
        for (int i = 0; i < permits + 5; i++)
        {
            granted += breaker.TryAcquirePermission(out _) ? 1 : 0;
        }

        granted.Should().Be(permits);
    }

#if !DEBUG
    [Fact]
    public void Release_DoubleCompletionInReleaseBuild_NeverRaisesThePermitsAboveTheLimit()
    {
        const int permits = 5;
        var breaker = new Breaker("stress", new CircuitBreakerOptions { PermittedNumberOfCallsInHalfOpenState = permits }, new FakeTimeProvider());
        breaker.TransitionToOpenState();
        breaker.TransitionToHalfOpenState();

        Run(Threads, _ =>
        {
            for (int i = 0; i < 2_000; i++)
            {
                if (breaker.TryAcquirePermission(out CircuitBreakerPermit permit))
                {
                    permit.Release();
                    permit.Release(); // a misuse: only Debug builds of the library detect it
                }
            }
        });

        int granted = 0;
        for (int i = 0; i < permits * 3; i++)
        {
            granted += breaker.TryAcquirePermission(out _) ? 1 : 0;
        }

        granted.Should().Be(permits);
    }
#endif

    private static void Observe(ValueTask<int> call, ref long admittedCalls, ConcurrentQueue<string> unexpected)
    {
        try
        {
            call.AsTask().GetAwaiter().GetResult();
            unexpected.Enqueue("a failing call completed successfully");
        }
        catch (CallNotPermittedException)
        {
        }
        catch (OperationCanceledException)
        {
            Interlocked.Increment(ref admittedCalls);
        }
        catch (IgnoredException)
        {
            Interlocked.Increment(ref admittedCalls);
        }
    }

    private sealed class IgnoredException() : Exception("ignored by the breaker");
}
