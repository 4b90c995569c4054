using System.Collections.Concurrent;

namespace Resilience.Tests.Stress;

/// <summary>On the real clock, a caller that had to wait is never let through before the cycle its permit belongs to.</summary>
[Collection(StressTestGroup.Name)]
public class RateLimiterCycleStressTests
{
    [Theory]
    [InlineData(10, 50)]
    [InlineData(1, 20)]
    public async Task AcquirePermissionAsync_ManyWaiters_NoWaiterProceedsInTheCycleItWaitedFrom(int limit, int periodMs)
    {
        var limiter = new RequestRateLimiter("stress", new RequestRateLimiterOptions
        {
            LimitForPeriod = limit,
            LimitRefreshPeriod = TimeSpan.FromMilliseconds(periodMs),
            TimeoutDuration = TimeSpan.FromSeconds(10),
        });
        const int callers = 24;
        int acquiresPerCaller = Math.Max(2, 40 * limit / callers);
        var early = new ConcurrentQueue<string>();
        long waited = 0;

        await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            for (int i = 0; i < acquiresPerCaller; i++)
            {
                long before = limiter.GetMetrics().Cycle;
                ValueTask acquire = limiter.AcquirePermissionAsync();
                if (acquire.IsCompleted)
                {
                    await acquire;
                    continue;
                }

                await acquire;
                long after = limiter.GetMetrics().Cycle;
                Interlocked.Increment(ref waited);
                if (after <= before)
                {
                    early.Enqueue($"waited from cycle {before} and proceeded in cycle {after}");
                }
            }
        })));

        waited.Should().BePositive("the callers outnumber the permits, so most of them wait");
        early.Should().BeEmpty();
    }
}
