using Microsoft.Extensions.Time.Testing;
using Resilience.Tests.Support;
using static Resilience.Tests.Bulkhead.BulkheadTestSupport;
using SemaphoreBulkhead = Resilience.Bulkhead;

namespace Resilience.Tests.Bulkhead;

public class BulkheadWaitingTests
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(1);
    private readonly FakeTimeProvider _time = new();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Release_SeveralWaiters_GrantsOldestFirst(bool fair)
    {
        SemaphoreBulkhead bulkhead = Create(_time, 1, MaxWait, fair);
        bulkhead.Hold(1);
        Task first = bulkhead.StartWaiting();
        Task second = bulkhead.StartWaiting();
        Task third = bulkhead.StartWaiting();

        bulkhead.CompleteOne();
        await first.WaitAsync(Safety);
        second.IsCompleted.Should().BeFalse();
        third.IsCompleted.Should().BeFalse();
        bulkhead.Waiting().Should().Be(2);

        bulkhead.CompleteOne();
        await second.WaitAsync(Safety);
        third.IsCompleted.Should().BeFalse();

        bulkhead.CompleteOne();
        await third.WaitAsync(Safety);
        bulkhead.GetMetrics().Should().Be(new BulkheadMetrics { AvailableConcurrentCalls = 0, MaxAllowedConcurrentCalls = 1, WaitingCalls = 0 });
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Release_WaiterQueued_HandsPermitOverBeforeReturning(bool fair)
    {
        SemaphoreBulkhead bulkhead = Create(_time, 1, MaxWait, fair);
        bulkhead.Hold(1);
        Task waiter = bulkhead.StartWaiting();

        bulkhead.ReleaseOne();

        bulkhead.GetMetrics().Should().Be(new BulkheadMetrics { AvailableConcurrentCalls = 0, MaxAllowedConcurrentCalls = 1, WaitingCalls = 0 });
        bulkhead.TryHold().Should().BeFalse("the permit already belongs to the waiter");
        await waiter.WaitAsync(Safety);
    }

    [Fact]
    public async Task AcquirePermissionAsync_NoPermitFreedWithinMaxWait_TimesOutWithoutPermit()
    {
        SemaphoreBulkhead bulkhead = Create(_time, 1, MaxWait, name: "slow");
        var events = new List<BulkheadEventType>();
        bulkhead.Events.Any += e => events.Add(e.EventType);
        bulkhead.Hold(1);
        Task waiter = bulkhead.StartWaiting();

        _time.Advance(MaxWait - TimeSpan.FromTicks(1));
        waiter.IsCompleted.Should().BeFalse();
        _time.Advance(TimeSpan.FromTicks(1));

        (await waiter.Invoking(w => w.WaitAsync(Safety)).Should().ThrowAsync<BulkheadFullException>()).Which.BulkheadName.Should().Be("slow");
        bulkhead.Waiting().Should().Be(0);
        bulkhead.CompleteOne();
        bulkhead.Available().Should().Be(1, "the timed-out waiter took no permit");
        events.Should().Equal(BulkheadEventType.CallPermitted, BulkheadEventType.CallRejected, BulkheadEventType.CallFinished);
    }

    [Fact]
    public async Task AcquirePermissionAsync_WaiterTimesOut_NextWaiterStillGetsReleasedPermit()
    {
        SemaphoreBulkhead bulkhead = Create(_time, 1, MaxWait);
        bulkhead.Hold(1);
        Task first = bulkhead.StartWaiting();
        _time.Advance(TimeSpan.FromMilliseconds(500));
        Task second = bulkhead.StartWaiting();

        _time.Advance(TimeSpan.FromMilliseconds(500));
        await first.Invoking(w => w.WaitAsync(Safety)).Should().ThrowAsync<BulkheadFullException>();
        bulkhead.CompleteOne();

        await second.WaitAsync(Safety);
        bulkhead.Available().Should().Be(0);
        _time.Advance(MaxWait);
        bulkhead.Available().Should().Be(0, "a granted waiter's timer no longer matters");
        bulkhead.CompleteOne();
        bulkhead.Available().Should().Be(1);
    }

    [Fact]
    public async Task AcquirePermissionAsync_WaiterCancelled_LeavesQueueWithoutPermitOrEvent()
    {
        SemaphoreBulkhead bulkhead = Create(_time, 1, MaxWait);
        int rejected = 0;
        bulkhead.Events.CallRejected += _ => rejected++;
        bulkhead.Hold(1);
        using var cts = new CancellationTokenSource();
        Task cancelled = bulkhead.StartWaiting(cts.Token);
        Task next = bulkhead.StartWaiting();

        await cts.CancelAsync();

        await cancelled.Invoking(w => w.WaitAsync(Safety)).Should().ThrowAsync<OperationCanceledException>();
        bulkhead.Waiting().Should().Be(1);
        bulkhead.CompleteOne();
        await next.WaitAsync(Safety);
        bulkhead.CompleteOne();
        bulkhead.Available().Should().Be(1);
        rejected.Should().Be(0, "a cancelled wait is not a rejection");
    }

    [Fact]
    public async Task ExecuteAsync_WaitsForPermit_ThenRunsAndGivesItBack()
    {
        SemaphoreBulkhead bulkhead = Create(_time, 1, MaxWait);
        bulkhead.Hold(1);

        ValueTask<int> call = bulkhead.ExecuteAsync(static (s, _) => new ValueTask<int>(s * 2), 21);
        call.IsCompleted.Should().BeFalse();
        bulkhead.Waiting().Should().Be(1);
        bulkhead.CompleteOne();

        (await call.AsTask().WaitAsync(Safety)).Should().Be(42);
        bulkhead.Available().Should().Be(1);
    }

    [Fact]
    public async Task ExecuteAsync_TaskOverloadTimesOut_ThrowsBulkheadFullAndDoesNotRun()
    {
        SemaphoreBulkhead bulkhead = Create(_time, 1, MaxWait);
        bulkhead.Hold(1);
        bool ran = false;

        Task call = bulkhead.ExecuteAsync(_ => { ran = true; return Task.CompletedTask; });
        _time.Advance(MaxWait);

        await call.Invoking(c => c.WaitAsync(Safety)).Should().ThrowAsync<BulkheadFullException>();
        ran.Should().BeFalse();
    }

    [Fact]
    public async Task ExecuteAsync_CancelledWhileWaiting_DoesNotRun()
    {
        SemaphoreBulkhead bulkhead = Create(_time, 1, MaxWait);
        bulkhead.Hold(1);
        using var cts = new CancellationTokenSource();
        bool ran = false;

        Task<int> call = bulkhead.ExecuteAsync(_ => { ran = true; return Task.FromResult(1); }, cts.Token);
        await cts.CancelAsync();

        await call.Invoking(c => c.WaitAsync(Safety)).Should().ThrowAsync<OperationCanceledException>();
        ran.Should().BeFalse();
        bulkhead.Waiting().Should().Be(0);
        bulkhead.CompleteOne();
        bulkhead.Available().Should().Be(1);
    }

    [Fact]
    public async Task Execute_Sync_BlocksUntilPermitIsReleased()
    {
        SemaphoreBulkhead bulkhead = Create(_time, 1, MaxWait);
        bulkhead.Hold(1);

        Task<int> blocked = Task.Factory.StartNew(() => bulkhead.Execute(static () => 3), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        bulkhead.ShouldSoonHaveWaiting(1);
        blocked.IsCompleted.Should().BeFalse();
        bulkhead.CompleteOne();

        (await blocked.WaitAsync(Safety)).Should().Be(3);
        bulkhead.Available().Should().Be(1);
    }

    [Fact]
    public async Task Execute_Sync_TimesOutWhenFakeTimeAdvances()
    {
        SemaphoreBulkhead bulkhead = Create(_time, 1, MaxWait, name: "sync");
        bulkhead.Hold(1);
        bool ran = false;

        Task blocked = Task.Factory.StartNew(() => bulkhead.Execute(() => ran = true), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        bulkhead.ShouldSoonHaveWaiting(1);
        _time.Advance(MaxWait);

        (await blocked.Invoking(b => b.WaitAsync(Safety)).Should().ThrowAsync<BulkheadFullException>()).Which.BulkheadName.Should().Be("sync");
        ran.Should().BeFalse();
        bulkhead.Waiting().Should().Be(0);
    }

    [Fact]
    public void AcquirePermission_MaxWaitZero_RejectsAtOnceWithoutQueueing()
    {
        SemaphoreBulkhead bulkhead = Create(_time, 1);
        bulkhead.Hold(1);

        bulkhead.Invoking(b => b.AcquirePermission()).Should().Throw<BulkheadFullException>();
        bulkhead.AcquirePermissionAsync().AsTask().IsFaulted.Should().BeTrue();
        bulkhead.Waiting().Should().Be(0);
    }

    [Fact]
    public async Task AcquirePermissionAsync_OnlyWaiterTimesOut_LaterWaiterIsServed()
    {
        SemaphoreBulkhead bulkhead = Create(_time, 1, MaxWait);
        bulkhead.Hold(1);
        Task first = bulkhead.StartWaiting();
        _time.Advance(MaxWait);
        await first.Invoking(w => w.WaitAsync(Safety)).Should().ThrowAsync<BulkheadFullException>();
        Task second = bulkhead.StartWaiting();

        bulkhead.CompleteOne();

        bulkhead.Waiting().Should().Be(0, "the permit was handed to the waiter queued after the queue emptied");
        bulkhead.Available().Should().Be(0);
        await second.WaitAsync(Safety);
    }

    [Fact]
    public async Task AcquirePermissionAsync_Granted_DisposesItsTimer()
    {
        var timers = new CountingTimers(_time);
        var bulkhead = new SemaphoreBulkhead("bh", new BulkheadOptions { MaxConcurrentCalls = 1, MaxWaitDuration = TimeSpan.FromDays(1) }, timers);
        bulkhead.Hold(1);
        Task waiter = bulkhead.StartWaiting();
        timers.Live.Should().Be(1);

        bulkhead.CompleteOne();
        await waiter.WaitAsync(Safety);

        timers.Live.Should().Be(0, "a granted waiter does not keep its timer (and itself) alive until the maximum wait");
    }

    [Fact]
    public async Task AcquirePermission_Granted_DisposesItsTimer()
    {
        var timers = new CountingTimers(_time);
        var bulkhead = new SemaphoreBulkhead("bh", new BulkheadOptions { MaxConcurrentCalls = 1, MaxWaitDuration = TimeSpan.FromDays(1) }, timers);
        bulkhead.Hold(1);
        Task blocked = Task.Factory.StartNew(() => bulkhead.Keep(bulkhead.AcquirePermission()), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        SpinWait.SpinUntil(() => timers.Live == 1, Safety).Should().BeTrue();

        bulkhead.CompleteOne();
        await blocked.WaitAsync(Safety);

        timers.Live.Should().Be(0);
    }

    [Fact]
    public void AcquirePermission_MaxWaitZero_NeverArmsATimer()
    {
        var timers = new CountingTimers(_time);
        var bulkhead = new SemaphoreBulkhead("bh", new BulkheadOptions { MaxConcurrentCalls = 1, MaxWaitDuration = TimeSpan.Zero }, timers);
        bulkhead.Hold(1);

        bulkhead.Invoking(b => b.AcquirePermission()).Should().Throw<BulkheadFullException>();
        bulkhead.AcquirePermissionAsync().AsTask().IsFaulted.Should().BeTrue();

        timers.Created.Should().Be(0, "a call that may not wait is refused before it is queued");
    }

    [Fact]
    public async Task AcquirePermissionAsync_CalledUnderASynchronizationContext_CompletesWithoutIt()
    {
        SemaphoreBulkhead bulkhead = Create(_time, 1, MaxWait);
        bulkhead.Hold(1);
        Task<BulkheadPermit> waiter;
        SynchronizationContext? previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(new NeverRunsContext());
        try
        {
            waiter = bulkhead.AcquirePermissionAsync().AsTask();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }

        bulkhead.CompleteOne();

        (await waiter.WaitAsync(Safety)).Complete();
        bulkhead.Available().Should().Be(1);
    }

    /// <summary>A context that drops what is posted to it: a UI thread blocked on the call, in effect.</summary>
    private sealed class NeverRunsContext : SynchronizationContext
    {
        public override void Post(SendOrPostCallback d, object? state)
        {
        }
    }
}
