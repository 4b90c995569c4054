using System.Collections.Concurrent;
using Resilience.Tests.Stress;
using Breaker = Resilience.CircuitBreaker;
using Compose = Resilience.Decorators;
using PoolBulkhead = Resilience.ThreadPoolBulkhead;
using RetryPolicy = Resilience.Retry;
using SemaphoreBulkhead = Resilience.Bulkhead;
using Timeouts = Resilience.TimeLimiter;

namespace Resilience.Tests.Chaos;

/// <summary>
/// A bounded soak: several threads push randomized calls through a full composition with a fallback, and afterwards
/// every permit, count and task is accounted for. CI runs 6,000 calls (about 10 s); a long run is one command:
/// <c>CHAOS_CALLS=1000000 dotnet test tests/Resilience.Core.Tests -c Release --filter "FullyQualifiedName~ChaosSoak"</c>.
/// </summary>
[Collection(StressTestGroup.Name)]
public class ChaosSoakTests
{
    private const int Fallback = -1;
    private const int Workers = 8;
    private const int HalfOpenTrials = 3;

    private enum Behaviour
    {
        SucceedSynchronously,
        SucceedAsynchronously,
        Fail,
        ThrowIgnored,
        CancelBefore,
        CancelDuring,
        TimeOut,
    }

    [Fact]
    public async Task FullComposition_RandomizedCalls_EveryPermitCountAndTaskAccountedFor()
    {
        int calls = int.TryParse(Environment.GetEnvironmentVariable("CHAOS_CALLS"), out int n) && n > 0 ? n : 6_000;
        var breaker = new Breaker("chaos", new CircuitBreakerOptions
        {
            SlidingWindowSize = 50,
            MinimumNumberOfCalls = 20,
            WaitDurationInOpenState = TimeSpan.FromMilliseconds(5),
            PermittedNumberOfCallsInHalfOpenState = HalfOpenTrials,
            IgnoreExceptions = { typeof(ArgumentException) },
        });
        var retry = new RetryPolicy("chaos", new RetryOptions { MaxAttempts = 2, WaitDuration = TimeSpan.FromMilliseconds(1), IgnoreExceptions = { typeof(ArgumentException) } });
        var limiter = new RequestRateLimiter("chaos", new RequestRateLimiterOptions { LimitForPeriod = 1_000_000, LimitRefreshPeriod = TimeSpan.FromSeconds(1) });
        var timeLimiter = new Timeouts("chaos", new TimeLimiterOptions { TimeoutDuration = TimeSpan.FromMilliseconds(20) });
        var bulkhead = new SemaphoreBulkhead("chaos", new BulkheadOptions { MaxConcurrentCalls = 6, MaxWaitDuration = TimeSpan.FromMilliseconds(2) });
        await using var pool = new PoolBulkhead("chaos", new ThreadPoolBulkheadOptions { CoreThreadPoolSize = 2, MaxThreadPoolSize = 4, QueueCapacity = 8 });

        AsyncDecorators<int> composition = Compose.For<int>()
            .WithRetry(retry).WithCircuitBreaker(breaker).WithRateLimiter(limiter).WithTimeLimiter(timeLimiter).WithBulkhead(bulkhead)
            .WithFallback(static ex => ex is IOException or ResilienceRejectedException, static _ => Fallback)
            .Build();
        AsyncDecorators<int> pooled = Compose.For<int>()
            .WithCircuitBreaker(breaker).WithThreadPoolBulkhead(pool)
            .WithFallback(static ex => ex is IOException or ResilienceRejectedException, static _ => Fallback)
            .Build();

        var runsPerCall = new int[calls];
        var unexpected = new ConcurrentQueue<string>();
        var outcomes = new ConcurrentDictionary<string, int>();
        int next = -1;

        await Task.WhenAll(Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
        {
            var random = new Random(1_000 + w);
            for (int id = Interlocked.Increment(ref next); id < calls; id = Interlocked.Increment(ref next))
            {
                var behaviour = (Behaviour)random.Next(7);
                bool onPool = random.Next(4) == 0;
                string outcome = await RunOneAsync(onPool ? pooled : composition, behaviour, id, runsPerCall, unexpected).ConfigureAwait(false);
                outcomes.AddOrUpdate(outcome, 1, static (_, c) => c + 1);
            }
        }))).WaitAsync(TimeSpan.FromMinutes(5));

        unexpected.Should().BeEmpty();
        outcomes.Values.Sum().Should().Be(calls, "no call is left pending");
        outcomes.Keys.Should().Contain(["result", "fallback", "cancelled", "ignored"]);
        runsPerCall.Should().OnlyContain(r => r <= 2, "a call runs at most once per attempt, and the retry makes at most two");

        bulkhead.GetMetrics().AvailableConcurrentCalls.Should().Be(6, "every bulkhead permit is back");
        WaitUntil(() => pool.GetMetrics() is { ActiveThreadCount: 0, QueueDepth: 0 });
        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        metrics.NumberOfBufferedCalls.Should().BeLessThanOrEqualTo(50);
        metrics.NumberOfFailedCalls.Should().BeLessThanOrEqualTo(metrics.NumberOfBufferedCalls);
        metrics.NumberOfSlowFailedCalls.Should().BeLessThanOrEqualTo(metrics.NumberOfFailedCalls);

        // Forced to half-open, the breaker admits exactly N trials however many ask at once.
        if (breaker.State != CircuitBreakerState.Open)
        {
            breaker.TransitionToOpenState();
        }

        breaker.TransitionToHalfOpenState();
        var granted = new ConcurrentBag<CircuitBreakerPermit>();
        ConcurrentRunner.Run(Workers, _ =>
        {
            for (int i = 0; i < 4; i++)
            {
                if (breaker.TryAcquirePermission(out CircuitBreakerPermit permit))
                {
                    granted.Add(permit);
                }
            }
        });
        granted.Should().HaveCount(HalfOpenTrials);
        foreach (CircuitBreakerPermit permit in granted)
        {
            permit.Release();
        }

        breaker.GetMetrics().NumberOfBufferedCalls.Should().Be(0, "released trials record nothing");
    }

    private static async Task<string> RunOneAsync(AsyncDecorators<int> composition, Behaviour behaviour, int id, int[] runsPerCall, ConcurrentQueue<string> unexpected)
    {
        using var cts = new CancellationTokenSource();
        if (behaviour == Behaviour.CancelBefore)
        {
            await cts.CancelAsync().ConfigureAwait(false);
        }

        try
        {
            int value = await composition.ExecuteAsync(
                static async (s, ct) =>
                {
                    Interlocked.Increment(ref s.runsPerCall[s.id]);
                    switch (s.behaviour)
                    {
                        case Behaviour.SucceedSynchronously:
                            return s.id;
                        case Behaviour.SucceedAsynchronously:
                            await Task.Yield();
                            return s.id;
                        case Behaviour.Fail:
                            throw new IOException("injected failure");
                        case Behaviour.ThrowIgnored:
                            throw new ArgumentException("injected, ignored by the breaker and the retry");
                        case Behaviour.CancelDuring:
                            s.cts.CancelAfter(1);
                            await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
                            return s.id;
                        default: // a slow dependency: ten times the time limiter's 20 ms (the thread-pool path has no time limiter, so it must end by itself)
                            await Task.Delay(200, ct).ConfigureAwait(false);
                            return s.id;
                    }
                },
                (id, behaviour, runsPerCall, cts),
                cts.Token).ConfigureAwait(false);

            if (value == Fallback)
            {
                return "fallback";
            }

            if (value != id)
            {
                unexpected.Enqueue($"call {id} ({behaviour}) returned {value}");
            }

            return "result";
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested && behaviour is Behaviour.CancelBefore or Behaviour.CancelDuring)
        {
            return "cancelled";
        }
        catch (ArgumentException) when (behaviour == Behaviour.ThrowIgnored)
        {
            return "ignored";
        }
        catch (Exception ex)
        {
            unexpected.Enqueue($"call {id} ({behaviour}) ended with {ex.GetType().Name}: {ex.Message}");
            return "unexpected";
        }
    }

    private static void WaitUntil(Func<bool> condition) =>
        SpinWait.SpinUntil(condition, TimeSpan.FromSeconds(30)).Should().BeTrue("the thread-pool bulkhead drains");
}
