using Microsoft.Extensions.Time.Testing;
using static Resilience.Tests.Bulkhead.BulkheadTestSupport;
using SemaphoreBulkhead = Resilience.Bulkhead;

namespace Resilience.Tests.Bulkhead;

/// <summary>Resilience4j's <c>changeConfig</c>: the whole configuration of a running bulkhead, its maximum wait included.</summary>
public class BulkheadChangeConfigTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task ChangeConfig_MaxWaitFromZero_LaterCallsWaitForAPermit()
    {
        SemaphoreBulkhead bulkhead = Create(_time, 1);
        bulkhead.Hold(1);
        bulkhead.TryHold().Should().BeFalse();
        Assert.Throws<BulkheadFullException>(() => bulkhead.AcquirePermission());

        bulkhead.ChangeConfig(new BulkheadOptions { MaxConcurrentCalls = 1, MaxWaitDuration = TimeSpan.FromSeconds(5) });
        Task waiting = bulkhead.StartWaiting();
        bulkhead.ShouldSoonHaveWaiting(1);
        bulkhead.CompleteOne();

        await waiting.WaitAsync(Safety);
        bulkhead.Waiting().Should().Be(0);
    }

    [Fact]
    public async Task ChangeConfig_MaxWaitToZero_LaterCallsAreRefusedAtOnceAndWaitersKeepTheirDeadline()
    {
        SemaphoreBulkhead bulkhead = Create(_time, 1, maxWait: TimeSpan.FromSeconds(10));
        bulkhead.Hold(1);
        Task early = bulkhead.StartWaiting();
        bulkhead.ShouldSoonHaveWaiting(1);

        bulkhead.ChangeConfig(new BulkheadOptions { MaxConcurrentCalls = 1, MaxWaitDuration = TimeSpan.Zero });

        ValueTask<BulkheadPermit> late = bulkhead.AcquirePermissionAsync();
        late.IsFaulted.Should().BeTrue("a bulkhead that may not wait refuses at once");
        bulkhead.Waiting().Should().Be(1, "the call already waiting keeps its deadline");
        _time.Advance(TimeSpan.FromSeconds(10));
        Func<Task> timedOut = () => early.WaitAsync(Safety);
        await timedOut.Should().ThrowAsync<BulkheadFullException>();
    }

    [Fact]
    public void ChangeConfig_Limit_ChangesAsChangeMaxConcurrentCallsDoes()
    {
        SemaphoreBulkhead bulkhead = Create(_time, 2);

        bulkhead.ChangeConfig(new BulkheadOptions { MaxConcurrentCalls = 5 });

        bulkhead.Available().Should().Be(5);
        bulkhead.GetMetrics().MaxAllowedConcurrentCalls.Should().Be(5);
    }

    [Fact]
    public void ChangeConfig_Invalid_ThrowsNamingTheOptionAndChangesNothing()
    {
        SemaphoreBulkhead bulkhead = Create(_time, 2, maxWait: TimeSpan.FromSeconds(1));

        Action change = () => bulkhead.ChangeConfig(new BulkheadOptions { MaxConcurrentCalls = 4, MaxWaitDuration = TimeSpan.FromSeconds(-1) });

        change.Should().Throw<ArgumentException>().WithMessage("*MaxWaitDuration*");
        bulkhead.GetMetrics().MaxAllowedConcurrentCalls.Should().Be(2);
    }
}
