using Microsoft.Extensions.Time.Testing;
using static Resilience.Tests.RateLimiter.RateLimiterTestSupport;

namespace Resilience.Tests.RateLimiter;

public class RequestRateLimiterTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Constructor_NewLimiter_StartsInCycleZeroWithLimitForPeriod()
    {
        RequestRateLimiter limiter = Create(_time);

        RequestRateLimiterMetrics metrics = limiter.GetMetrics();

        metrics.AvailablePermissions.Should().Be(10);
        metrics.Cycle.Should().Be(0);
        metrics.NumberOfWaitingCallers.Should().Be(0);
        metrics.TimeUntilPermission.Should().Be(TimeSpan.Zero);
        limiter.LimitForPeriod.Should().Be(10);
        limiter.LimitRefreshPeriod.Should().Be(Period);
        limiter.TimeoutDuration.Should().Be(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void TryAcquirePermission_WithinOneCycle_GrantsExactlyTheLimit()
    {
        RequestRateLimiter limiter = Create(_time);

        int granted = Enumerable.Range(0, 25).Count(_ => limiter.TryAcquirePermission());

        granted.Should().Be(10);
        limiter.Available().Should().Be(0, "a refused TryAcquire reserves nothing");
    }

    [Fact]
    public void TryAcquirePermission_MorePermitsThanAvailable_TakesNone()
    {
        RequestRateLimiter limiter = Create(_time);
        limiter.TryAcquirePermission(7).Should().BeTrue();

        limiter.TryAcquirePermission(4).Should().BeFalse();

        limiter.Available().Should().Be(3);
    }

    [Fact]
    public void TryAcquirePermission_AtCycleBoundary_Refills()
    {
        RequestRateLimiter limiter = Create(_time);
        limiter.Exhaust();

        _time.Advance(Period - TimeSpan.FromTicks(1));
        limiter.TryAcquirePermission().Should().BeFalse("the last tick of cycle 0 has no permits");
        _time.Advance(TimeSpan.FromTicks(1));

        limiter.TryAcquirePermission().Should().BeTrue("cycle 1 starts exactly one period after construction");
        limiter.GetMetrics().Cycle.Should().Be(1);
        limiter.Available().Should().Be(9);
    }

    [Fact]
    public void Cycles_CountFromConstruction_NotFromTheClockOrigin()
    {
        _time.Advance(TimeSpan.FromMilliseconds(700));
        RequestRateLimiter limiter = Create(_time);
        limiter.Exhaust();

        _time.Advance(TimeSpan.FromMilliseconds(300));
        limiter.TryAcquirePermission().Should().BeFalse("only 300 ms of the first period have passed");
        _time.Advance(TimeSpan.FromMilliseconds(700));

        limiter.TryAcquirePermission().Should().BeTrue();
    }

    [Fact]
    public void Refill_AfterManyIdleCycles_IsCappedAtOnePeriodsWorth()
    {
        RequestRateLimiter limiter = Create(_time);
        limiter.TryAcquirePermission(3).Should().BeTrue();

        _time.Advance(TimeSpan.FromSeconds(5));

        limiter.Available().Should().Be(10);
        limiter.TryAcquirePermission(11).Should().BeFalse();
    }

    [Fact]
    public void Refill_WithReservations_AddsOneLimitPerElapsedCycle()
    {
        RequestRateLimiter limiter = Create(_time);
        limiter.ReservePermission(25).Should().Be(TimeSpan.FromSeconds(2));
        limiter.Available().Should().Be(-15);

        _time.Advance(Period);
        limiter.Available().Should().Be(-5);
        _time.Advance(Period);
        limiter.Available().Should().Be(5);
        _time.Advance(Period);
        limiter.Available().Should().Be(10);
    }

    [Fact]
    public void ReservePermission_Available_ReturnsZeroAndTakesThePermits()
    {
        RequestRateLimiter limiter = Create(_time);

        limiter.ReservePermission(4).Should().Be(TimeSpan.Zero);

        limiter.Available().Should().Be(6);
    }

    [Fact]
    public void ReservePermission_Exhausted_WaitsUntilTheNextCycleBoundary()
    {
        RequestRateLimiter limiter = Create(_time);
        _time.Advance(TimeSpan.FromMilliseconds(300));
        limiter.Exhaust();

        limiter.ReservePermission().Should().Be(TimeSpan.FromMilliseconds(700));
        limiter.ReservePermission(9).Should().Be(TimeSpan.FromMilliseconds(700), "permits 2 to 10 of cycle 1 are still free");
        limiter.ReservePermission().Should().Be(TimeSpan.FromMilliseconds(1700), "cycle 1 is fully reserved");
        limiter.Available().Should().Be(-11);
    }

    [Theory]
    [InlineData(10, 0, 0)] // available now
    [InlineData(11, 0, 1_000)] // one permit short: next cycle
    [InlineData(20, 0, 1_000)] // the next cycle suffices exactly
    [InlineData(21, 0, 2_000)] // one more whole cycle
    [InlineData(45, 250, 3_750)] // 35 missing: ceil(35 / 10) = 4 cycles ahead, minus the 250 ms already gone
    public void ReservePermission_PermitsAboveTheLimit_WaitsForSeveralCycles(int permits, int elapsedMs, int expectedWaitMs)
    {
        RequestRateLimiter limiter = Create(_time);
        _time.Advance(TimeSpan.FromMilliseconds(elapsedMs));

        limiter.ReservePermission(permits).Should().Be(TimeSpan.FromMilliseconds(expectedWaitMs));

        limiter.Available().Should().Be(10 - permits);
    }

    [Fact]
    public void ReservePermission_SubMicrosecondPeriod_FollowsTheFormulaInTicks()
    {
        // Defaults: 50 permits per 500 ns (5 ticks).
        RequestRateLimiter limiter = new("ns", new RequestRateLimiterOptions(), _time);
        _time.Advance(TimeSpan.FromTicks(2));
        limiter.TryAcquirePermission(50).Should().BeTrue();

        limiter.ReservePermission(120).Should().Be(TimeSpan.FromTicks(3 + 10), "3 ticks to the boundary, then 2 more periods");
    }

    [Fact]
    public void ReservePermission_WaitEqualToTimeout_IsReserved()
    {
        RequestRateLimiter limiter = Create(_time, timeout: Period);
        limiter.Exhaust();

        limiter.ReservePermission().Should().Be(Period);
    }

    [Fact]
    public void ReservePermission_WaitBeyondTimeout_IsRefusedAtOnceWithoutReserving()
    {
        RequestRateLimiter limiter = Create(_time, timeout: Period);
        limiter.Exhaust();

        limiter.ReservePermission(11).Should().BeNull();

        limiter.Available().Should().Be(0, "a refusal reserves nothing");
        limiter.ReservePermission(10).Should().Be(Period, "the refused permits are still free for others");
    }

    [Fact]
    public void TimeoutZero_Exhausted_RefusesWithoutReserving()
    {
        RequestRateLimiter limiter = Create(_time, timeout: TimeSpan.Zero);
        limiter.Exhaust();

        limiter.ReservePermission().Should().BeNull();
        limiter.Invoking(l => l.AcquirePermission()).Should().Throw<RequestNotPermittedException>();

        limiter.Available().Should().Be(0);
    }

    [Fact]
    public void ChangeLimitForPeriod_Increase_TakesEffectAtTheNextRefill()
    {
        RequestRateLimiter limiter = Create(_time);
        limiter.TryAcquirePermission(4).Should().BeTrue();

        limiter.ChangeLimitForPeriod(20);

        limiter.LimitForPeriod.Should().Be(20);
        limiter.Available().Should().Be(6, "the current cycle keeps its permissions");
        _time.Advance(Period);
        limiter.Available().Should().Be(20);
    }

    [Fact]
    public void ChangeLimitForPeriod_Decrease_CapsTheNextRefill()
    {
        RequestRateLimiter limiter = Create(_time);

        limiter.ChangeLimitForPeriod(2);

        limiter.Available().Should().Be(10);
        _time.Advance(Period);
        limiter.Available().Should().Be(2);
        limiter.ReservePermission(5).Should().Be(TimeSpan.FromSeconds(2), "3 missing permits at 2 per period");
    }

    [Fact]
    public void ChangeTimeoutDuration_FromZero_AllowsReservations()
    {
        RequestRateLimiter limiter = Create(_time, timeout: TimeSpan.Zero);
        limiter.Exhaust();
        limiter.ReservePermission().Should().BeNull();

        limiter.ChangeTimeoutDuration(TimeSpan.FromSeconds(2));

        limiter.TimeoutDuration.Should().Be(TimeSpan.FromSeconds(2));
        limiter.ReservePermission().Should().Be(Period);
    }

    [Fact]
    public void ChangeMethods_InvalidValues_ThrowWithTheOptionNameAndRange()
    {
        RequestRateLimiter limiter = Create(_time);

        limiter.Invoking(l => l.ChangeLimitForPeriod(0)).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("RequestRateLimiterOptions.LimitForPeriod is 0, but it must be at least 1.*");
        limiter.Invoking(l => l.ChangeTimeoutDuration(TimeSpan.FromSeconds(-1))).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("RequestRateLimiterOptions.TimeoutDuration is -1 s, but it must be from zero to 4294967294 ms (about 49.7 days).*");
        limiter.LimitForPeriod.Should().Be(10);
    }

    [Fact]
    public void DrainPermissions_TakesTheRestOfTheCycle_UntilTheNextRefill()
    {
        RequestRateLimiter limiter = Create(_time);
        limiter.TryAcquirePermission(3).Should().BeTrue();

        limiter.DrainPermissions();

        limiter.Available().Should().Be(0);
        limiter.TryAcquirePermission().Should().BeFalse();
        _time.Advance(Period);
        limiter.Available().Should().Be(10);
    }

    [Fact]
    public void DrainPermissions_WithReservations_KeepsThem()
    {
        RequestRateLimiter limiter = Create(_time);
        limiter.ReservePermission(15).Should().Be(Period);

        limiter.DrainPermissions();

        limiter.Available().Should().Be(-5);
    }

    [Fact]
    public void GetMetrics_Exhausted_ReportsTheWaitForOnePermit()
    {
        RequestRateLimiter limiter = Create(_time);
        _time.Advance(TimeSpan.FromMilliseconds(2_400));
        limiter.ReservePermission(15).Should().Be(TimeSpan.FromMilliseconds(600));

        RequestRateLimiterMetrics metrics = limiter.GetMetrics();

        metrics.Cycle.Should().Be(2);
        metrics.AvailablePermissions.Should().Be(-5);
        metrics.TimeUntilPermission.Should().Be(TimeSpan.FromMilliseconds(600), "cycle 3 brings 10 permits, enough to cover the 5 reserved and 1 more");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Acquire_PermitsBelowOne_Throws(int permits)
    {
        RequestRateLimiter limiter = Create(_time);

        limiter.Invoking(l => l.TryAcquirePermission(permits)).Should().Throw<ArgumentOutOfRangeException>();
        limiter.Invoking(l => l.ReservePermission(permits)).Should().Throw<ArgumentOutOfRangeException>();
        limiter.Invoking(l => l.AcquirePermission(permits)).Should().Throw<ArgumentOutOfRangeException>();
        limiter.Invoking(l => l.AcquirePermissionAsync(permits)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Constructor_CopiesOptions_LaterChangesHaveNoEffect()
    {
        RequestRateLimiterOptions options = Options();
        var limiter = new RequestRateLimiter("copy", options, _time);

        options.LimitForPeriod = 1;
        options.TimeoutDuration = TimeSpan.Zero;

        limiter.LimitForPeriod.Should().Be(10);
        limiter.TimeoutDuration.Should().Be(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void CycleField_WrapsPast2To29Cycles_StillRefills()
    {
        // One-tick periods: the 29-bit cycle field wraps every 2^29 ticks (about 54 s).
        RequestRateLimiter limiter = Create(_time, limit: 3, period: TimeSpan.FromTicks(1));
        limiter.Exhaust();

        _time.Advance(TimeSpan.FromTicks(1L << 29));

        limiter.Available().Should().Be(3, "2^29 cycles later is not the same cycle");
        limiter.GetMetrics().Cycle.Should().Be(1L << 29);
    }

    [Fact]
    public void CycleField_IdleForManyWraps_ThenExactAgain()
    {
        RequestRateLimiter limiter = Create(_time, limit: 3, period: TimeSpan.FromTicks(1), timeout: TimeSpan.FromTicks(10));
        for (int round = 1; round <= 3; round++)
        {
            _time.Advance(TimeSpan.FromTicks((1L << 31) + 7));
            limiter.Exhaust();
            limiter.ReservePermission(4).Should().Be(TimeSpan.FromTicks(2), "3 in the next cycle, 1 in the one after");
            limiter.Available().Should().Be(-4);
            _time.Advance(TimeSpan.FromTicks(2));
            limiter.Available().Should().Be(2);
        }
    }

    [Fact]
    public void Rebase_WithAReservationPending_KeepsTheReservation()
    {
        RequestRateLimiter limiter = Create(_time, limit: 1, period: TimeSpan.FromTicks(1), timeout: TimeSpan.FromTicks(100));
        _time.Advance(TimeSpan.FromTicks(RequestRateLimiter.RebaseThreshold - 2));
        limiter.ReservePermission(50).Should().Be(TimeSpan.FromTicks(49));

        _time.Advance(TimeSpan.FromTicks(10));

        limiter.Available().Should().Be(-39, "the rebase at 2^28 cycles kept the reservation");
        limiter.GetMetrics().Cycle.Should().Be(RequestRateLimiter.RebaseThreshold + 8);
    }
}
