using Microsoft.Extensions.Time.Testing;
using static Resilience.Tests.RateLimiter.RateLimiterTestSupport;

namespace Resilience.Tests.RateLimiter;

/// <summary>The state word of <c>RequestRateLimiter.State.cs</c> at its edges: the lowest permissions, the rebase, the clocks.</summary>
public class RequestRateLimiterStateTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void ReservePermission_PermissionsReachExactlyIntMinValue_IsReserved()
    {
        RequestRateLimiter limiter = Create(_time, limit: int.MaxValue, period: TimeSpan.FromTicks(1), timeout: TimeSpan.FromTicks(10));
        limiter.TryAcquirePermission(int.MaxValue).Should().BeTrue();
        limiter.ReservePermission().Should().Be(TimeSpan.FromTicks(1));

        limiter.ReservePermission(int.MaxValue).Should().Be(TimeSpan.FromTicks(2), "2^31 missing permits at 2^31 - 1 per period");

        limiter.Available().Should().Be(int.MinValue);
        limiter.ReservePermission().Should().BeNull("one permit more would take the permissions below int.MinValue");
        limiter.Available().Should().Be(int.MinValue);
    }

    [Fact]
    public void Read_ExactlyAtTheRebaseThreshold_RebasesAndKeepsCounting()
    {
        RequestRateLimiter limiter = Create(_time, limit: 3, period: TimeSpan.FromTicks(1));
        limiter.Exhaust();

        _time.Advance(TimeSpan.FromTicks(RequestRateLimiter.RebaseThreshold));

        limiter.GetMetrics().Cycle.Should().Be(RequestRateLimiter.RebaseThreshold);
        limiter.Exhaust();
        limiter.Available().Should().Be(0);
        _time.Advance(TimeSpan.FromTicks(1));
        limiter.Available().Should().Be(3);
    }

    [Fact]
    public void Read_RebaseWithAPeriodOfSeveralTicks_CountsCyclesOfThatPeriod()
    {
        RequestRateLimiter limiter = Create(_time, limit: 3, period: TimeSpan.FromTicks(3));
        limiter.Exhaust();

        // 2^28 + 1 periods of 3 ticks, plus one tick into the next: the cycle is past the rebase threshold.
        _time.Advance(TimeSpan.FromTicks((3 * (RequestRateLimiter.RebaseThreshold + 1)) + 1));

        limiter.GetMetrics().Cycle.Should().Be(RequestRateLimiter.RebaseThreshold + 1);
        limiter.Exhaust();
        _time.Advance(TimeSpan.FromTicks(1));
        limiter.Available().Should().Be(0, "the cycle has 1 tick left");
        _time.Advance(TimeSpan.FromTicks(1));
        limiter.Available().Should().Be(3);
        limiter.GetMetrics().Cycle.Should().Be(RequestRateLimiter.RebaseThreshold + 2);
    }

    [Fact]
    public async Task AcquirePermissionAsync_CancelledInALaterCycle_GivesThePermitsBack()
    {
        RequestRateLimiter limiter = Create(_time);
        _time.Advance(5 * Period);
        limiter.Exhaust();
        using var cts = new CancellationTokenSource();
        Task acquire = limiter.AcquirePermissionAsync(3, cts.Token).AsTask();
        limiter.Available().Should().Be(-3);

        await cts.CancelAsync();

        await acquire.Invoking(t => t).Should().ThrowAsync<OperationCanceledException>();
        limiter.Available().Should().Be(0, "the reservation made in cycle 5 is given back in cycle 5");
    }

    [Fact]
    public async Task AcquirePermissionAsync_CancelledAfterTheWordMovedToALaterCycle_GivesThePermitsBack()
    {
        RequestRateLimiter limiter = Create(_time);
        limiter.Exhaust();
        using var cts = new CancellationTokenSource();
        Task acquire = limiter.AcquirePermissionAsync(15, cts.Token).AsTask();
        _time.Advance(Period);
        limiter.DrainPermissions(); // nothing to drain, but the state now says cycle 1 with 5 permits reserved

        await cts.CancelAsync();

        await acquire.Invoking(t => t).Should().ThrowAsync<OperationCanceledException>();
        limiter.Available().Should().Be(10, "nobody took permits after the reservation, so all of them come back, capped at the limit");
    }

    [Fact]
    public async Task AcquirePermissionAsync_CancelledExactlyInt32MaxValueCyclesLater_GivesThePermitsBack()
    {
        RequestRateLimiter limiter = Create(_time, limit: 1, period: TimeSpan.FromTicks(1), timeout: TimeSpan.FromTicks(1L << 32));
        limiter.TryAcquirePermission().Should().BeTrue();
        limiter.ReservePermission().Should().Be(TimeSpan.FromTicks(1));
        using var cts = new CancellationTokenSource();
        Task acquire = limiter.AcquirePermissionAsync(int.MaxValue, cts.Token).AsTask();
        limiter.Available().Should().Be(int.MinValue);
        _time.Advance(TimeSpan.FromTicks(int.MaxValue));
        limiter.DrainPermissions(); // the state now says cycle 2^31 - 1, with one permit still reserved

        await cts.CancelAsync();

        await acquire.Invoking(t => t).Should().ThrowAsync<OperationCanceledException>();
        limiter.Available().Should().Be(1, "a reservation as old as int.MaxValue cycles is still compared, and given back");
    }

    [Fact]
    public void ChangeLimitForPeriod_MoreThanEightTimesInOneCycle_KeepsTheCycleAndPermissions()
    {
        RequestRateLimiter limiter = Create(_time);
        limiter.TryAcquirePermission(4).Should().BeTrue();

        for (int limit = 11; limit <= 20; limit++)
        {
            limiter.ChangeLimitForPeriod(limit); // the 3-bit generation wraps; it must not carry into the cycle
        }

        limiter.GetMetrics().Cycle.Should().Be(0);
        limiter.Available().Should().Be(6);
        _time.Advance(Period);
        limiter.Available().Should().Be(20);
    }

    [Fact]
    public void ReservePermission_WaitBeyondWhatTheClockCanCount_IsRefusedWithoutARetryAfter()
    {
        TimeSpan longestPeriod = TimeSpan.FromMilliseconds(uint.MaxValue - 1);
        RequestRateLimiter limiter = Create(_time, limit: 1, period: longestPeriod, timeout: longestPeriod);

        limiter.ReservePermission(int.MaxValue).Should().BeNull("2^31 - 2 more periods of about 49.7 days overflow 64 bits of ticks");

        Assert.Throws<RequestNotPermittedException>(() => limiter.AcquirePermission(int.MaxValue)).RetryAfter.Should().BeNull();
        limiter.Available().Should().Be(1);
    }
}
