using Microsoft.Extensions.Time.Testing;

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
}
