using System.Runtime.CompilerServices;
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

    // The permits each bulkhead's test holds, so that a test can complete "one of them" as a call that ends would.
    private static readonly ConditionalWeakTable<SemaphoreBulkhead, Stack<BulkheadPermit>> HeldPermits = [];

    /// <summary>Takes <paramref name="count"/> permits through the low-level protocol, and holds them.</summary>
    public static void Hold(this SemaphoreBulkhead bulkhead, int count)
    {
        for (int i = 0; i < count; i++)
        {
            bulkhead.TryHold().Should().BeTrue($"permit {i} should be free");
        }
    }

    /// <summary>Takes a permit without waiting and holds it, if one is free.</summary>
    public static bool TryHold(this SemaphoreBulkhead bulkhead)
    {
        if (!bulkhead.TryAcquirePermission(out BulkheadPermit permit))
        {
            return false;
        }

        bulkhead.Keep(permit);
        return true;
    }

    /// <summary>Completes one of the held permits (a call that ran and finished).</summary>
    public static void CompleteOne(this SemaphoreBulkhead bulkhead) => PopHeld(bulkhead).Complete();

    /// <summary>Releases one of the held permits (a call that never ran).</summary>
    public static void ReleaseOne(this SemaphoreBulkhead bulkhead) => PopHeld(bulkhead).Release();

    /// <summary>Holds a permit acquired elsewhere, so that <see cref="CompleteOne"/> can complete it.</summary>
    public static void Keep(this SemaphoreBulkhead bulkhead, BulkheadPermit permit)
    {
        Stack<BulkheadPermit> held = HeldBy(bulkhead);
        lock (held)
        {
            held.Push(permit);
        }
    }

    private static Stack<BulkheadPermit> HeldBy(SemaphoreBulkhead bulkhead) => HeldPermits.GetValue(bulkhead, static _ => new Stack<BulkheadPermit>());

    private static BulkheadPermit PopHeld(SemaphoreBulkhead bulkhead)
    {
        Stack<BulkheadPermit> held = HeldBy(bulkhead);
        lock (held)
        {
            held.Should().NotBeEmpty("the test must hold a permit to complete one");
            return held.Pop();
        }
    }

    public static int Available(this SemaphoreBulkhead bulkhead) => bulkhead.GetMetrics().AvailableConcurrentCalls;

    public static int Waiting(this SemaphoreBulkhead bulkhead) => bulkhead.GetMetrics().WaitingCalls;

    /// <summary>Waits (on real time, bounded by <see cref="Safety"/>) until <paramref name="count"/> calls are queued.</summary>
    public static void ShouldSoonHaveWaiting(this SemaphoreBulkhead bulkhead, int count) =>
        SpinWait.SpinUntil(() => bulkhead.Waiting() == count, Safety).Should().BeTrue($"{count} calls should be waiting");

    /// <summary>Starts an asynchronous wait for a permit and checks that it is queued, not completed; the permit, once granted, is held.</summary>
    public static Task StartWaiting(this SemaphoreBulkhead bulkhead, CancellationToken cancellationToken = default)
    {
        int before = bulkhead.Waiting();
        Task<BulkheadPermit> waiter = bulkhead.AcquirePermissionAsync(cancellationToken).AsTask();
        waiter.IsCompleted.Should().BeFalse("no permit is free, so the call waits");
        bulkhead.Waiting().Should().Be(before + 1);
        return KeepWhenGrantedAsync(bulkhead, waiter);
    }

    private static async Task KeepWhenGrantedAsync(SemaphoreBulkhead bulkhead, Task<BulkheadPermit> waiter) => bulkhead.Keep(await waiter.ConfigureAwait(false));
}
