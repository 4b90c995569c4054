using Microsoft.Extensions.Time.Testing;
using static Resilience.Tests.Bulkhead.BulkheadTestSupport;
using SemaphoreBulkhead = Resilience.Bulkhead;

namespace Resilience.Tests.Bulkhead;

public class BulkheadLimitChangeTests
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task ChangeMaxConcurrentCalls_Grow_HandsNewPermitsToWaitersAtOnce()
    {
        SemaphoreBulkhead bulkhead = Create(_time, 1, MaxWait);
        bulkhead.Hold(1);
        Task first = bulkhead.StartWaiting();
        Task second = bulkhead.StartWaiting();
        Task third = bulkhead.StartWaiting();

        bulkhead.ChangeMaxConcurrentCalls(3);

        await Task.WhenAll(first, second).WaitAsync(Safety);
        third.IsCompleted.Should().BeFalse("only two permits were added, and the oldest waiters get them");
        bulkhead.GetMetrics().Should().Be(new BulkheadMetrics { AvailableConcurrentCalls = 0, MaxAllowedConcurrentCalls = 3, WaitingCalls = 1 });
    }

    [Fact]
    public void ChangeMaxConcurrentCalls_GrowWithoutWaiters_FreesPermits()
    {
        SemaphoreBulkhead bulkhead = Create(_time, 2);
        bulkhead.Hold(2);

        bulkhead.ChangeMaxConcurrentCalls(4);

        bulkhead.Available().Should().Be(2);
        bulkhead.Hold(2);
        bulkhead.TryHold().Should().BeFalse();
    }

    [Fact]
    public void ChangeMaxConcurrentCalls_ShrinkBelowCallsInFlight_DoesNotBlockAndRefusesUntilDebtIsPaid()
    {
        SemaphoreBulkhead bulkhead = Create(_time, 3);
        bulkhead.Hold(3);

        bulkhead.ChangeMaxConcurrentCalls(1);

        bulkhead.GetMetrics().Should().Be(new BulkheadMetrics { AvailableConcurrentCalls = 0, MaxAllowedConcurrentCalls = 1, WaitingCalls = 0 });
        bulkhead.CompleteOne();
        bulkhead.TryHold().Should().BeFalse("two calls are still in flight against a limit of one");
        bulkhead.CompleteOne();
        bulkhead.TryHold().Should().BeFalse("one call is still in flight against a limit of one");
        bulkhead.CompleteOne();
        bulkhead.Available().Should().Be(1);
        bulkhead.TryHold().Should().BeTrue();
        bulkhead.CompleteOne();
        bulkhead.Available().Should().Be(1, "the free permits never exceed the new limit");
    }

    [Fact]
    public async Task ChangeMaxConcurrentCalls_ShrinkWithWaiters_KeepsThemQueuedUntilDebtIsPaid()
    {
        SemaphoreBulkhead bulkhead = Create(_time, 2, MaxWait);
        bulkhead.Hold(2);
        Task waiter = bulkhead.StartWaiting();

        bulkhead.ChangeMaxConcurrentCalls(1);
        bulkhead.CompleteOne();

        waiter.IsCompleted.Should().BeFalse();
        bulkhead.Waiting().Should().Be(1);
        bulkhead.CompleteOne();
        await waiter.WaitAsync(Safety);
        bulkhead.GetMetrics().Should().Be(new BulkheadMetrics { AvailableConcurrentCalls = 0, MaxAllowedConcurrentCalls = 1, WaitingCalls = 0 });
    }

    [Fact]
    public void ChangeMaxConcurrentCalls_ToZero_RejectsEverything()
    {
        SemaphoreBulkhead bulkhead = Create(_time, 2);

        bulkhead.ChangeMaxConcurrentCalls(0);

        bulkhead.Invoking(b => b.Execute(static () => 1)).Should().Throw<BulkheadFullException>();
        bulkhead.GetMetrics().MaxAllowedConcurrentCalls.Should().Be(0);
    }

    [Fact]
    public void ChangeMaxConcurrentCalls_Negative_ThrowsNamingValueAndRange()
    {
        SemaphoreBulkhead bulkhead = Create(_time, 2);

        ArgumentOutOfRangeException ex = bulkhead.Invoking(b => b.ChangeMaxConcurrentCalls(-3)).Should().Throw<ArgumentOutOfRangeException>().Which;

        ex.ParamName.Should().Be("maxConcurrentCalls");
        ex.Message.Should().StartWith("BulkheadOptions.MaxConcurrentCalls is -3, but it must be at least 0.");
        bulkhead.GetMetrics().MaxAllowedConcurrentCalls.Should().Be(2);
    }
}
