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
}
