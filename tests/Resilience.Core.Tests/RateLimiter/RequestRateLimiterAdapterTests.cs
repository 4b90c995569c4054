using System.Threading.RateLimiting;
using Microsoft.Extensions.Time.Testing;
using Resilience;

// A namespace outside Resilience, with both namespaces imported, as a user's code would be: the names must not clash.
namespace RateLimiterConsumer.Tests;

public class RequestRateLimiterAdapterTests
{
    private readonly FakeTimeProvider _time = new();

    private RequestRateLimiter CreateLimiter(TimeSpan? timeout = null) => new("api", new RequestRateLimiterOptions
    {
        LimitForPeriod = 2,
        LimitRefreshPeriod = TimeSpan.FromSeconds(1),
        TimeoutDuration = timeout ?? TimeSpan.FromSeconds(5),
    }, _time);

    [Fact]
    public void AttemptAcquire_MapsToTryAcquire_WithCachedLeases()
    {
        RequestRateLimiter limiter = CreateLimiter();
        RateLimiter adapter = limiter.AsRateLimiter();
        _time.Advance(TimeSpan.FromMilliseconds(250));

        using RateLimitLease first = adapter.AttemptAcquire();
        using RateLimitLease second = adapter.AttemptAcquire();
        using RateLimitLease third = adapter.AttemptAcquire();
        using RateLimitLease fourth = adapter.AttemptAcquire();

        first.IsAcquired.Should().BeTrue();
        second.Should().BeSameAs(first, "success leases are a cached singleton");
        third.IsAcquired.Should().BeFalse();
        fourth.Should().BeSameAs(third, "one-permit failure leases are cached too");
        third.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan retryAfter).Should().BeTrue();
        retryAfter.Should().Be(TimeSpan.FromMilliseconds(750));
        third.MetadataNames.Should().Equal(MetadataName.RetryAfter.Name);
        limiter.AsRateLimiter().Should().BeSameAs(adapter);
    }

    [Fact]
    public void AttemptAcquire_SeveralPermits_FailedLeaseCarriesItsWait()
    {
        RateLimiter adapter = CreateLimiter().AsRateLimiter();

        using RateLimitLease lease = adapter.AttemptAcquire(5);

        lease.IsAcquired.Should().BeFalse();
        lease.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan retryAfter).Should().BeTrue();
        retryAfter.Should().Be(TimeSpan.FromSeconds(2), "3 missing permits at 2 per second");
    }

    [Fact]
    public void AttemptAcquire_ZeroPermits_ReportsAvailabilityWithoutTaking()
    {
        RequestRateLimiter limiter = CreateLimiter();
        RateLimiter adapter = limiter.AsRateLimiter();

        adapter.AttemptAcquire(0).IsAcquired.Should().BeTrue();
        limiter.GetMetrics().AvailablePermissions.Should().Be(2);
        limiter.TryAcquirePermission(2).Should().BeTrue();
        adapter.AttemptAcquire(0).IsAcquired.Should().BeFalse();
    }

    [Fact]
    public async Task AcquireAsync_Exhausted_WaitsForTheReservation()
    {
        RequestRateLimiter limiter = CreateLimiter();
        RateLimiter adapter = limiter.AsRateLimiter();
        limiter.TryAcquirePermission(2).Should().BeTrue();

        ValueTask<RateLimitLease> pending = adapter.AcquireAsync();
        pending.IsCompleted.Should().BeFalse();
        adapter.GetStatistics()!.CurrentQueuedCount.Should().Be(1);
        _time.Advance(TimeSpan.FromSeconds(1));

        using RateLimitLease lease = await pending;
        lease.IsAcquired.Should().BeTrue();
    }

    [Fact]
    public async Task AcquireAsync_BeyondTimeout_ReturnsAFailedLeaseAtOnce()
    {
        RateLimiter adapter = CreateLimiter(timeout: TimeSpan.Zero).AsRateLimiter();
        (await adapter.AcquireAsync(2)).IsAcquired.Should().BeTrue();

        ValueTask<RateLimitLease> pending = adapter.AcquireAsync();

        pending.IsCompletedSuccessfully.Should().BeTrue();
        (await pending).IsAcquired.Should().BeFalse();
    }

    [Fact]
    public async Task AcquireAsync_Cancelled_ThrowsAndGivesThePermitBack()
    {
        RequestRateLimiter limiter = CreateLimiter();
        RateLimiter adapter = limiter.AsRateLimiter();
        limiter.TryAcquirePermission(2).Should().BeTrue();
        using var cts = new CancellationTokenSource();

        Task<RateLimitLease> pending = adapter.AcquireAsync(1, cts.Token).AsTask();
        await cts.CancelAsync();

        await pending.Invoking(t => t).Should().ThrowAsync<OperationCanceledException>();
        limiter.GetMetrics().AvailablePermissions.Should().Be(0);
    }

    [Fact]
    public void GetStatisticsAndIdleDuration_ReflectTheLimiter()
    {
        RequestRateLimiter limiter = CreateLimiter();
        RateLimiter adapter = limiter.AsRateLimiter();
        _time.Advance(TimeSpan.FromMilliseconds(1_500));
        adapter.IdleDuration.Should().Be(TimeSpan.FromMilliseconds(1_500), "full since construction");

        adapter.AttemptAcquire().Dispose();
        adapter.AttemptAcquire(2).Dispose();

        RateLimiterStatistics statistics = adapter.GetStatistics()!;
        statistics.CurrentAvailablePermits.Should().Be(1);
        statistics.TotalSuccessfulLeases.Should().Be(1);
        statistics.TotalFailedLeases.Should().Be(1);
        adapter.IdleDuration.Should().BeNull("a permit is in use in this period");
        _time.Advance(TimeSpan.FromMilliseconds(800));
        adapter.IdleDuration.Should().Be(TimeSpan.FromMilliseconds(300), "full again since the period that began at 2 s");
    }

    [Fact]
    public void PartitionedRateLimiter_AsAspNetCoreUsesIt_LimitsAndSurvivesDisposal()
    {
        RequestRateLimiter limiter = CreateLimiter(timeout: TimeSpan.Zero);
        using PartitionedRateLimiter<string> partitioned = PartitionedRateLimiter.Create<string, string>(
            key => RateLimitPartition.Get(key, _ => limiter.AsRateLimiter()));

        int granted = Enumerable.Range(0, 5).Count(_ => { using RateLimitLease l = partitioned.AttemptAcquire("client"); return l.IsAcquired; });
        limiter.AsRateLimiter().Dispose();

        granted.Should().Be(2);
        _time.Advance(TimeSpan.FromSeconds(1));
        limiter.AsRateLimiter().AttemptAcquire().IsAcquired.Should().BeTrue("disposing the view does not dispose the limiter");
    }
}
