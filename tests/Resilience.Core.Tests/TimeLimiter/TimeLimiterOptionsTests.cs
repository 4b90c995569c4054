using Microsoft.Extensions.Time.Testing;
using Limiter = Resilience.TimeLimiter;

namespace Resilience.Tests.TimeLimiter;

public class TimeLimiterOptionsTests
{
    [Fact]
    public void Constructor_Defaults_MatchResilience4j()
    {
        var options = new TimeLimiterOptions();

        options.TimeoutDuration.Should().Be(TimeLimiterConstants.DefaultTimeoutDuration).And.Be(TimeSpan.FromSeconds(1));
        options.CancelRunningTask.Should().Be(TimeLimiterConstants.DefaultCancelRunningTask).And.BeTrue();
    }

    [Theory]
    [InlineData(0L, "0")]
    [InlineData(-5_000L, "-500 µs")]
    [InlineData(5_000L, "500 µs")]
    [InlineData(-10_000_000L, "-1 s")]
    public void Validate_TimeoutOutOfRange_ThrowsWithNameValueAndRange(long ticks, string shown)
    {
        var options = new TimeLimiterOptions { TimeoutDuration = TimeSpan.FromTicks(ticks) };

        FluentActions.Invoking(() => new Limiter("tl", options))
            .Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage($"TimeLimiterOptions.TimeoutDuration is {shown}, but it must be from 1 ms to 4294967294 ms (about 49.7 days), or Timeout.InfiniteTimeSpan (no timeout).*")
            .Which.ParamName.Should().Be("TimeoutDuration");
    }

    [Fact]
    public void Validate_TimeoutAboveTimerMaximum_Throws()
    {
        var options = new TimeLimiterOptions { TimeoutDuration = TimeLimiterConstants.MaximumTimeout + TimeSpan.FromMilliseconds(1) };

        FluentActions.Invoking(() => new Limiter("tl", options))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("TimeLimiterOptions.TimeoutDuration is 4294967295 ms (about 49.7 days), but*");
    }

    [Theory]
    [InlineData(1L)]
    [InlineData(1_000L)]
    [InlineData(uint.MaxValue - 1L)]
    [InlineData(-1L)]
    public void Validate_TimeoutInRangeOrInfinite_Accepts(long milliseconds)
    {
        var options = new TimeLimiterOptions { TimeoutDuration = TimeSpan.FromMilliseconds(milliseconds) };

        var limiter = new Limiter("tl", options, new FakeTimeProvider());

        limiter.TimeoutDuration.Should().Be(TimeSpan.FromMilliseconds(milliseconds));
    }

    [Fact]
    public void Constructor_OptionsChangedAfterwards_LimiterKeepsCopy()
    {
        var options = new TimeLimiterOptions { TimeoutDuration = TimeSpan.FromSeconds(3), CancelRunningTask = false };
        var limiter = new Limiter("tl", options);

        options.TimeoutDuration = TimeSpan.FromSeconds(9);
        options.CancelRunningTask = true;

        limiter.TimeoutDuration.Should().Be(TimeSpan.FromSeconds(3));
        limiter.CancelRunningTask.Should().BeFalse();
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Constructor_BlankName_Throws(string name) =>
        FluentActions.Invoking(() => new Limiter(name)).Should().Throw<ArgumentException>();

    [Fact]
    public void Constructor_NullOptions_UsesDefaults()
    {
        var limiter = new Limiter("tl");

        limiter.Name.Should().Be("tl");
        limiter.TimeoutDuration.Should().Be(TimeLimiterConstants.DefaultTimeoutDuration);
        limiter.CancelRunningTask.Should().BeTrue();
    }
}
