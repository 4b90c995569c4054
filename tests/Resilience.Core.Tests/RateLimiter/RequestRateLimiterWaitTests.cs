using Microsoft.Extensions.Time.Testing;
using static Resilience.Tests.RateLimiter.RateLimiterTestSupport;

namespace Resilience.Tests.RateLimiter;

public class RequestRateLimiterWaitTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void AcquirePermissionAsync_Available_CompletesSynchronously()
    {
        RequestRateLimiter limiter = Create(_time);

        ValueTask acquire = limiter.AcquirePermissionAsync(3);

        acquire.IsCompletedSuccessfully.Should().BeTrue();
        limiter.Available().Should().Be(7);
    }

    [Fact]
    public async Task AcquirePermissionAsync_Reserved_CompletesWhenItsCycleStarts()
    {
        RequestRateLimiter limiter = Create(_time);
        _time.Advance(TimeSpan.FromMilliseconds(300));
        limiter.Exhaust();

        Task acquire = limiter.AcquirePermissionAsync(12).AsTask();

        acquire.IsCompleted.Should().BeFalse();
        limiter.GetMetrics().NumberOfWaitingCallers.Should().Be(1);
        _time.Advance(TimeSpan.FromMilliseconds(1_699));
        acquire.IsCompleted.Should().BeFalse("12 permits need cycles 1 and 2; cycle 2 starts at 2 s");
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await acquire;
        limiter.GetMetrics().NumberOfWaitingCallers.Should().Be(0);
        limiter.Available().Should().Be(8);
    }

    [Fact]
    public void AcquirePermissionAsync_BeyondTimeout_FailsAtOnceWithRetryAfter()
    {
        RequestRateLimiter limiter = Create(_time, timeout: TimeSpan.FromSeconds(1));
        limiter.Exhaust();

        ValueTask acquire = limiter.AcquirePermissionAsync(11);

        acquire.IsFaulted.Should().BeTrue("a refusal does not wait for the timeout");
        RequestNotPermittedException ex = acquire.AsTask().Exception!.InnerException.Should().BeOfType<RequestNotPermittedException>().Subject;
        ex.RateLimiterName.Should().Be("test");
        ex.InstanceName.Should().Be("test");
        ex.RetryAfter.Should().Be(TimeSpan.FromSeconds(2));
        ex.Message.Should().Be("Rate limiter 'test' does not permit further calls; a permit would take 2000 ms, longer than its timeout.");
        limiter.Available().Should().Be(0);
    }

    [Fact]
    public async Task AcquirePermissionAsync_CancelledWhileWaiting_GivesThePermitsBack()
    {
        RequestRateLimiter limiter = Create(_time);
        limiter.Exhaust();
        using var cts = new CancellationTokenSource();
        Task acquire = limiter.AcquirePermissionAsync(3, cts.Token).AsTask();
        limiter.Available().Should().Be(-3);

        await cts.CancelAsync();

        await acquire.Invoking(t => t).Should().ThrowAsync<OperationCanceledException>();
        limiter.Available().Should().Be(0);
        limiter.GetMetrics().NumberOfWaitingCallers.Should().Be(0);
        _time.Advance(Period);
        limiter.Available().Should().Be(10, "the cancelled reservation no longer holds permits of cycle 1");
    }

    [Fact]
    public async Task AcquirePermissionAsync_CancelledWithALaterReservation_KeepsThePermitsReserved()
    {
        RequestRateLimiter limiter = Create(_time);
        limiter.Exhaust();
        using var cts = new CancellationTokenSource();
        Task first = limiter.AcquirePermissionAsync(3, cts.Token).AsTask();
        Task second = limiter.AcquirePermissionAsync(2).AsTask();

        await cts.CancelAsync();

        await first.Invoking(t => t).Should().ThrowAsync<OperationCanceledException>();
        limiter.Available().Should().Be(-5, "giving back permits in front of a later reservation could grant more than the limit");
        _time.Advance(Period);
        await second;
        limiter.Available().Should().Be(5);
    }

    [Fact]
    public async Task AcquirePermissionAsync_CancelledAfterAnotherCycleStarted_ReturnsOnlyWhatIsStillFuture()
    {
        RequestRateLimiter limiter = Create(_time);
        limiter.Exhaust();
        using var cts = new CancellationTokenSource();
        Task acquire = limiter.AcquirePermissionAsync(15, cts.Token).AsTask();
        _time.Advance(Period);
        limiter.Available().Should().Be(-5);

        await cts.CancelAsync();

        await acquire.Invoking(t => t).Should().ThrowAsync<OperationCanceledException>();
        limiter.Available().Should().Be(10, "the permits come back, capped at one period's worth");
    }

    [Fact]
    public async Task AcquirePermissionAsync_CancelledAfterTheLimitChanged_KeepsThePermitsReserved()
    {
        RequestRateLimiter limiter = Create(_time);
        limiter.Exhaust();
        using var cts = new CancellationTokenSource();
        Task acquire = limiter.AcquirePermissionAsync(3, cts.Token).AsTask();
        limiter.ChangeLimitForPeriod(20);

        await cts.CancelAsync();

        await acquire.Invoking(t => t).Should().ThrowAsync<OperationCanceledException>();
        limiter.Available().Should().Be(-3);
    }

    [Fact]
    public async Task AcquirePermission_Reserved_BlocksOnAProviderTimer()
    {
        RequestRateLimiter limiter = Create(_time);
        limiter.Exhaust();

        Task blocked = Task.Factory.StartNew(() => limiter.AcquirePermission(2), TaskCreationOptions.LongRunning);
        SpinUntil(() => limiter.GetMetrics().NumberOfWaitingCallers == 1);
        blocked.IsCompleted.Should().BeFalse();
        _time.Advance(Period);

        await blocked;
        limiter.Available().Should().Be(8);
        limiter.GetMetrics().NumberOfWaitingCallers.Should().Be(0);
    }

    [Fact]
    public void AcquirePermission_BeyondTimeout_ThrowsAtOnce()
    {
        RequestRateLimiter limiter = Create(_time, timeout: TimeSpan.FromMilliseconds(999));
        limiter.Exhaust();

        limiter.Invoking(l => l.AcquirePermission())
            .Should().Throw<RequestNotPermittedException>()
            .Which.RetryAfter.Should().Be(Period);
    }
}
