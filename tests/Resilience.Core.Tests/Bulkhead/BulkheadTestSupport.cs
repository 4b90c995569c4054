using Microsoft.Extensions.Time.Testing;
using SemaphoreBulkhead = Resilience.Bulkhead;

namespace Resilience.Tests.Bulkhead;

/// <summary>Builders and waits shared by the bulkhead tests.</summary>
internal static class BulkheadTestSupport
{
    /// <summary>A safety bound for waits on other threads; a test never relies on it elapsing.</summary>
    public static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);

    public static SemaphoreBulkhead Create(FakeTimeProvider time, int maxConcurrentCalls, TimeSpan maxWait = default, bool fair = true, string name = "bh") =>
        new(name, new BulkheadOptions { MaxConcurrentCalls = maxConcurrentCalls, MaxWaitDuration = maxWait, FairCallHandlingEnabled = fair }, time);

    /// <summary>Takes <paramref name="count"/> permits through the low-level protocol.</summary>
    public static void Hold(this SemaphoreBulkhead bulkhead, int count)
    {
        for (int i = 0; i < count; i++)
        {
            bulkhead.TryAcquirePermission().Should().BeTrue($"permit {i} should be free");
        }
    }

    public static int Available(this SemaphoreBulkhead bulkhead) => bulkhead.GetMetrics().AvailableConcurrentCalls;

    public static int Waiting(this SemaphoreBulkhead bulkhead) => bulkhead.GetMetrics().WaitingCalls;

    /// <summary>Waits (on real time, bounded by <see cref="Safety"/>) until <paramref name="count"/> calls are queued.</summary>
    public static void ShouldSoonHaveWaiting(this SemaphoreBulkhead bulkhead, int count) =>
        SpinWait.SpinUntil(() => bulkhead.Waiting() == count, Safety).Should().BeTrue($"{count} calls should be waiting");

    /// <summary>Starts an asynchronous wait for a permit and checks that it is queued, not completed.</summary>
    public static Task StartWaiting(this SemaphoreBulkhead bulkhead, CancellationToken cancellationToken = default)
    {
        int before = bulkhead.Waiting();
        Task waiter = bulkhead.AcquirePermissionAsync(cancellationToken).AsTask();
        waiter.IsCompleted.Should().BeFalse("no permit is free, so the call waits");
        bulkhead.Waiting().Should().Be(before + 1);
        return waiter;
    }
}
