using Microsoft.Extensions.Time.Testing;
using static Resilience.Tests.RateLimiter.RateLimiterTestSupport;

namespace Resilience.Tests.RateLimiter;

public class RequestRateLimiterEventsTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Events_AcquireRefuseDrain_PublishTypedEventsWithPermits()
    {
        RequestRateLimiter limiter = Create(_time, timeout: TimeSpan.Zero);
        var any = new List<RequestRateLimiterEvent>();
        var successes = new List<int>();
        var failures = new List<int>();
        var drains = new List<int>();
        limiter.Events.Any += any.Add;
        limiter.Events.SuccessfulAcquire += e => successes.Add(e.NumberOfPermits);
        limiter.Events.FailedAcquire += e => failures.Add(e.NumberOfPermits);
        limiter.Events.Drained += e => drains.Add(e.NumberOfPermits);

        limiter.TryAcquirePermission(3);
        limiter.ReservePermission(2);
        limiter.TryAcquirePermission(6);
        limiter.DrainPermissions();

        successes.Should().Equal(3, 2);
        failures.Should().Equal(6);
        drains.Should().Equal(5);
        any.Select(e => e.EventType).Should().Equal(
            RequestRateLimiterEventType.SuccessfulAcquire,
            RequestRateLimiterEventType.SuccessfulAcquire,
            RequestRateLimiterEventType.FailedAcquire,
            RequestRateLimiterEventType.Drained);
        any.Should().OnlyContain(e => e.RateLimiterName == "test" && e.CreationTime == _time.GetUtcNow());
        any[2].ToString().Should().EndWith("Rate limiter 'test' refused 6 permit(s)");
    }

    [Fact]
    public async Task Events_ReservedAcquire_PublishesSuccessAfterTheWait()
    {
        RequestRateLimiter limiter = Create(_time);
        limiter.Exhaust();
        var types = new List<RequestRateLimiterEventType>();
        limiter.Events.Any += e => types.Add(e.EventType);

        Task acquire = limiter.AcquirePermissionAsync().AsTask();
        types.Should().BeEmpty();
        _time.Advance(Period);
        await acquire;

        types.Should().Equal(RequestRateLimiterEventType.SuccessfulAcquire);
    }

    [Fact]
    public async Task Events_CancelledWait_PublishesFailedAcquire()
    {
        RequestRateLimiter limiter = Create(_time);
        limiter.Exhaust();
        var failures = new List<int>();
        limiter.Events.FailedAcquire += e => failures.Add(e.NumberOfPermits);
        using var cts = new CancellationTokenSource();

        Task acquire = limiter.AcquirePermissionAsync(4, cts.Token).AsTask();
        await cts.CancelAsync();

        await acquire.Invoking(t => t).Should().ThrowAsync<OperationCanceledException>();
        failures.Should().Equal(4);
    }

    [Fact]
    public void Events_ThrowingHandler_IsSkippedAndUnsubscribeWorks()
    {
        RequestRateLimiter limiter = Create(_time);
        int calls = 0;
        Action<RequestRateLimiterEvent> counter = _ => calls++;
        limiter.Events.SuccessfulAcquire += _ => throw new InvalidOperationException("handler");
        limiter.Events.SuccessfulAcquire += counter;

        limiter.TryAcquirePermission().Should().BeTrue();
        limiter.Events.SuccessfulAcquire -= counter;
        limiter.TryAcquirePermission().Should().BeTrue();

        calls.Should().Be(1);
    }

    [Theory]
    [InlineData(RequestRateLimiterEventType.SuccessfulAcquire, "granted 3 permit(s)")]
    [InlineData(RequestRateLimiterEventType.FailedAcquire, "refused 3 permit(s)")]
    [InlineData(RequestRateLimiterEventType.Drained, "drained 3 permit(s)")]
    [InlineData((RequestRateLimiterEventType)99, "published 99")]
    public void ToString_EachEventType_DescribesEvent(RequestRateLimiterEventType type, string description)
    {
        var e = new RequestRateLimiterEvent { EventType = type, RateLimiterName = "rl", CreationTime = new DateTimeOffset(2030, 5, 6, 7, 8, 9, TimeSpan.Zero), NumberOfPermits = 3 };

        e.ToString().Should().Be("2030-05-06T07:08:09.0000000+00:00: Rate limiter 'rl' " + description);
    }
}
