using Breaker = Resilience.CircuitBreaker;
using RetryPolicy = Resilience.Retry;
using Semaphore = Resilience.Bulkhead;

namespace Resilience.Tests.Stress;

[Collection(StressTestGroup.Name)]
public class DecoratorsStressTests
{
    [Fact]
    public void Execute_SharedDecoratorsAcrossThreads_ExactCountsAndEveryPermitBack()
    {
        const int callsPerThread = 10_000;
        var breaker = new Breaker("c", new CircuitBreakerOptions { FailureRateThreshold = 100, SlidingWindowSize = 100 });
        var retry = new RetryPolicy("r", new RetryOptions { MaxAttempts = 2, WaitDuration = TimeSpan.Zero });
        var bulkhead = new Semaphore("b", new BulkheadOptions { MaxConcurrentCalls = 3 });
        int fallbacks = 0;
        Decorators<int> decorators = Resilience.Decorators.For<int>()
            .WithRetry(retry).WithCircuitBreaker(breaker).WithBulkhead(bulkhead)
            .WithFallback<Exception>(_ => { Interlocked.Increment(ref fallbacks); return 0; })
            .Build();
        long failedFirstAttempts = 0, results = 0;

        ConcurrentRunner.Run(ConcurrentRunner.Threads, thread =>
        {
            for (int i = 0; i < callsPerThread; i++)
            {
                bool failFirst = (i + thread) % 5 == 0;
                int attempt = 0;
                int result = decorators.Execute(_ =>
                {
                    if (failFirst && attempt++ == 0)
                    {
                        Interlocked.Increment(ref failedFirstAttempts);
                        throw new InvalidOperationException();
                    }

                    return 1;
                }, 0);
                Interlocked.Add(ref results, result);
            }
        });

        const int total = callsPerThread * ConcurrentRunner.Threads;
        (results + fallbacks).Should().Be(total, "every call ends in a result or a fallback exactly once");
        results.Should().BeGreaterThan(0);
        bulkhead.GetMetrics().AvailableConcurrentCalls.Should().Be(3);
        RetryMetrics metrics = retry.GetMetrics();
        (metrics.NumberOfSuccessfulCallsWithoutRetryAttempt + metrics.NumberOfSuccessfulCallsWithRetryAttempt
            + metrics.NumberOfFailedCallsWithoutRetryAttempt + metrics.NumberOfFailedCallsWithRetryAttempt).Should().Be(total);
        metrics.NumberOfTotalAttempts.Should().BeGreaterThanOrEqualTo(total + failedFirstAttempts - fallbacks);
    }
}
