using Microsoft.Extensions.Time.Testing;

namespace Resilience.Tests.Stress;

[Collection(StressTestGroup.Name)]
public class RateLimiterStressTests
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(1);

    [Fact]
    public void TryAcquire_FrozenClock_GrantsExactlyTheLimit()
    {
        var time = new FakeTimeProvider();
        var limiter = new RequestRateLimiter("frozen", new RequestRateLimiterOptions { LimitForPeriod = 5_000, LimitRefreshPeriod = Period, TimeoutDuration = TimeSpan.Zero }, time);
        long granted = 0;

        ConcurrentRunner.Run(ConcurrentRunner.Threads, t =>
        {
            for (int i = 0; i < 2_000; i++)
            {
                if (limiter.TryAcquirePermission(1 + (i % 3)))
                {
                    Interlocked.Add(ref granted, 1 + (i % 3));
                }
            }
        });

        granted.Should().BeLessThanOrEqualTo(5_000);
        limiter.GetMetrics().AvailablePermissions.Should().Be((int)(5_000 - granted), "every permit taken is accounted for");
        limiter.GetMetrics().AvailablePermissions.Should().BeLessThan(3, "callers kept asking until fewer than 3 were left");
    }

    [Fact]
    public void TryAcquire_ClockAdvancedByACoordinator_NeverGrantsMoreThanTheLimitPerCycle()
    {
        const int limit = 64;
        const int cycles = 200;
        var time = new FakeTimeProvider();
        var limiter = new RequestRateLimiter("advancing", new RequestRateLimiterOptions { LimitForPeriod = limit, LimitRefreshPeriod = Period, TimeoutDuration = TimeSpan.Zero }, time);
        long granted = 0;
        int stop = 0;

        ConcurrentRunner.Run(4, t =>
        {
            if (t == 0)
            {
                // The coordinator: once a cycle is exhausted, move to the next one.
                for (int c = 0; c < cycles; c++)
                {
                    SpinWait.SpinUntil(() => limiter.GetMetrics().AvailablePermissions == 0);
                    time.Advance(Period);
                }

                SpinWait.SpinUntil(() => limiter.GetMetrics().AvailablePermissions == 0);
                Volatile.Write(ref stop, 1);
                return;
            }

            long mine = 0;
            while (Volatile.Read(ref stop) == 0)
            {
                if (limiter.TryAcquirePermission())
                {
                    mine++;
                }
                else
                {
                    Thread.Yield(); // Let the coordinator run on the 2-core machines.
                }
            }

            Interlocked.Add(ref granted, mine);
        });

        granted.Should().Be((long)limit * (cycles + 1), "each cycle was exhausted before the next began, and none gave more than its limit");
        limiter.GetMetrics().Cycle.Should().Be(cycles);
    }

    [Fact]
    public void ReservePermission_ManyThreads_AccountsForEveryReservationExactly()
    {
        const int limit = 100;
        var time = new FakeTimeProvider();
        var limiter = new RequestRateLimiter("reserve", new RequestRateLimiterOptions { LimitForPeriod = limit, LimitRefreshPeriod = Period, TimeoutDuration = Period * 20 }, time);
        long reserved = 0;
        long refused = 0;
        long maxWaitTicks = 0;

        ConcurrentRunner.Run(ConcurrentRunner.Threads, t =>
        {
            for (int i = 0; i < 500; i++)
            {
                int permits = 1 + ((i + t) % 7);
                if (limiter.ReservePermission(permits) is { } wait)
                {
                    Interlocked.Add(ref reserved, permits);
                    long ticks = wait.Ticks;
                    long seen;
                    while (ticks > (seen = Volatile.Read(ref maxWaitTicks)) && Interlocked.CompareExchange(ref maxWaitTicks, ticks, seen) != seen)
                    {
                    }
                }
                else
                {
                    Interlocked.Increment(ref refused);
                }
            }
        });

        RequestRateLimiterMetrics metrics = limiter.GetMetrics();
        metrics.AvailablePermissions.Should().Be((int)(limit - reserved), "the permissions are the limit minus every permit reserved");
        reserved.Should().BeLessThanOrEqualTo(limit * 21L, "cycle 0 and the 20 cycles within the timeout");
        reserved.Should().BeGreaterThan(limit * 20L, "refusals happen only when fewer than 7 permits were left in reach");
        refused.Should().BeGreaterThan(0);
        TimeSpan.FromTicks(maxWaitTicks).Should().Be(Period * 20, "the last reservations wait exactly for cycle 20");

        time.Advance(Period * 21);
        limiter.GetMetrics().AvailablePermissions.Should().Be(limit);
    }
}
