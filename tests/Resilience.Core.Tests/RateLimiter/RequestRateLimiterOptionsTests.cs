using Microsoft.Extensions.Time.Testing;

namespace Resilience.Tests.RateLimiter;

public class RequestRateLimiterOptionsTests
{
    [Fact]
    public void Defaults_MatchResilience4j()
    {
        var options = new RequestRateLimiterOptions();

        options.LimitForPeriod.Should().Be(RequestRateLimiterConstants.DefaultLimitForPeriod).And.Be(50);
        options.LimitRefreshPeriod.Should().Be(RequestRateLimiterConstants.DefaultLimitRefreshPeriod).And.Be(TimeSpan.FromTicks(5));
        options.TimeoutDuration.Should().Be(RequestRateLimiterConstants.DefaultTimeoutDuration).And.Be(TimeSpan.FromSeconds(5));
        options.DrainPermissionsOnResult.Should().BeNull();
    }

    [Theory]
    [InlineData(0, 5, 5_000, "RequestRateLimiterOptions.LimitForPeriod is 0, but it must be at least 1.*")]
    [InlineData(1, 0, 5_000, "RequestRateLimiterOptions.LimitRefreshPeriod is 0, but it must be from 100 ns (one tick) to 4294967294 ms (about 49.7 days).*")]
    [InlineData(1, -5, 5_000, "RequestRateLimiterOptions.LimitRefreshPeriod is -500 ns, but it must be*")]
    [InlineData(1, 5, -1, "RequestRateLimiterOptions.TimeoutDuration is -1 ms, but it must be from zero to 4294967294 ms (about 49.7 days).*")]
    public void Constructor_InvalidOption_ThrowsNamingOptionValueAndRange(int limit, long periodTicks, int timeoutMs, string message)
    {
        var options = new RequestRateLimiterOptions
        {
            LimitForPeriod = limit,
            LimitRefreshPeriod = TimeSpan.FromTicks(periodTicks),
            TimeoutDuration = TimeSpan.FromMilliseconds(timeoutMs),
        };

        Action create = () => _ = new RequestRateLimiter("bad", options, new FakeTimeProvider());

        create.Should().Throw<ArgumentOutOfRangeException>().WithMessage(message);
    }

    [Fact]
    public void Constructor_TooLongDurations_Throw()
    {
        TimeSpan tooLong = RequestRateLimiterConstants.MaximumDuration + TimeSpan.FromMilliseconds(1);

        Action period = () => _ = new RequestRateLimiter("p", new RequestRateLimiterOptions { LimitRefreshPeriod = tooLong });
        Action timeout = () => _ = new RequestRateLimiter("t", new RequestRateLimiterOptions { TimeoutDuration = tooLong });

        period.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("LimitRefreshPeriod");
        timeout.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("TimeoutDuration");
    }

    [Fact]
    public void Constructor_LongestValidDurations_AreAccepted()
    {
        var options = new RequestRateLimiterOptions
        {
            LimitForPeriod = int.MaxValue,
            LimitRefreshPeriod = RequestRateLimiterConstants.MaximumDuration,
            TimeoutDuration = RequestRateLimiterConstants.MaximumDuration,
        };

        var limiter = new RequestRateLimiter("max", options, new FakeTimeProvider());

        limiter.TryAcquirePermission(int.MaxValue).Should().BeTrue();
        limiter.ReservePermission(int.MaxValue).Should().Be(RequestRateLimiterConstants.MaximumDuration);
        limiter.ReservePermission(1).Should().BeNull("the wait is two periods, beyond the timeout");
    }

    [Fact]
    public void Constructor_BlankName_Throws()
    {
        Action create = () => _ = new RequestRateLimiter(" ");

        create.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Clone_CopiesEveryProperty()
    {
        Func<object?, Exception?, bool> drain = static (_, _) => true;
        var options = new RequestRateLimiterOptions { LimitForPeriod = 3, LimitRefreshPeriod = TimeSpan.FromSeconds(2), TimeoutDuration = TimeSpan.Zero, DrainPermissionsOnResult = drain };

        RequestRateLimiterOptions copy = options.Clone();

        copy.Should().NotBeSameAs(options);
        copy.Should().BeEquivalentTo(options);
    }
}
