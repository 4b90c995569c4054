using Microsoft.Extensions.Time.Testing;
using Resilience.Tests.Support;

namespace Resilience.Tests.RateLimiter;

public class RequestRateLimiterClockTests
{
    [Theory]
    [InlineData(1_000, true)]
    [InlineData(60_000, true)]
    [InlineData(999, false)]
    public void Constructor_SystemProvider_UsesCoarseClockFromOneSecondPeriods(int periodMilliseconds, bool expected)
    {
        var limiter = new RequestRateLimiter("r", new RequestRateLimiterOptions { LimitRefreshPeriod = TimeSpan.FromMilliseconds(periodMilliseconds) });

        limiter.UsesCoarseClock.Should().Be(expected);
    }

    [Fact]
    public void Constructor_OtherProvider_NeverUsesCoarseClock()
    {
        var limiter = new RequestRateLimiter("r", new RequestRateLimiterOptions { LimitRefreshPeriod = TimeSpan.FromSeconds(10) }, new FakeTimeProvider());

        limiter.UsesCoarseClock.Should().BeFalse();
    }

    [Fact]
    public void TryAcquirePermission_CoarseClockWithinOnePeriod_GrantsAtMostTheLimit()
    {
        // A one-hour period: the loop below cannot cross a period boundary unless it runs for an hour.
        var limiter = new RequestRateLimiter("r", new RequestRateLimiterOptions { LimitForPeriod = 3, LimitRefreshPeriod = TimeSpan.FromHours(1) });

        int granted = Enumerable.Range(0, 10).Count(_ => limiter.TryAcquirePermission());

        limiter.UsesCoarseClock.Should().BeTrue();
        granted.Should().Be(3);
        limiter.GetMetrics().AvailablePermissions.Should().Be(0);
    }

    [Fact]
    public void GetMetrics_CoarseClock_CountsCyclesFromConstruction()
    {
        // One-second periods: the machine has been up for longer than that, so a clock read from its start would be cycles ahead.
        var limiter = new RequestRateLimiter("r", new RequestRateLimiterOptions { LimitForPeriod = 3, LimitRefreshPeriod = TimeSpan.FromSeconds(1) });

        RequestRateLimiterMetrics metrics = limiter.GetMetrics();

        limiter.UsesCoarseClock.Should().BeTrue();
        metrics.Cycle.Should().BeLessThan(30, "the test has run for less than 30 s since the limiter was built");
        metrics.AvailablePermissions.Should().BeInRange(0, 3);
    }

    [Theory]
    [InlineData(1_000_000_000L)] // a whole number of timestamp units per tick: counted in timestamp units
    [InlineData(3_000_000L)] // not a whole number per tick: counted in ticks
    public void TryAcquirePermission_TimestampFrequencyOtherThanTicks_RefillsAtEachPeriod(long frequency)
    {
        var fake = new FakeTimeProvider();
        var limiter = new RequestRateLimiter("r", new RequestRateLimiterOptions { LimitForPeriod = 2, LimitRefreshPeriod = TimeSpan.FromMilliseconds(1) }, new ScaledClock(fake, frequency));
        limiter.TryAcquirePermission(2).Should().BeTrue();
        limiter.ReservePermission().Should().Be(TimeSpan.FromMilliseconds(1));

        fake.Advance(TimeSpan.FromMilliseconds(1) - TimeSpan.FromTicks(10));
        limiter.GetMetrics().Cycle.Should().Be(0);
        limiter.TryAcquirePermission().Should().BeFalse();

        fake.Advance(TimeSpan.FromTicks(10));
        limiter.GetMetrics().Cycle.Should().Be(1);
        limiter.Available().Should().Be(1, "the reserved permit was taken from the refill");
        fake.Advance(TimeSpan.FromMilliseconds(5));
        limiter.GetMetrics().Cycle.Should().Be(6);
        limiter.Available().Should().Be(2);
    }
}
