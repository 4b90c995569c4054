using Microsoft.Extensions.Time.Testing;
using static Resilience.Tests.Bulkhead.BulkheadTestSupport;
using SemaphoreBulkhead = Resilience.Bulkhead;

namespace Resilience.Tests.Bulkhead;

/// <summary>The low-level protocol, events and metrics.</summary>
public class BulkheadPermissionTests
{
    private static readonly DateTimeOffset Start = new(2031, 2, 3, 4, 5, 6, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);
    private readonly SemaphoreBulkhead _bulkhead;
    private readonly List<BulkheadEvent> _events = [];

    public BulkheadPermissionTests()
    {
        _bulkhead = Create(_time, 2, name: "proto");
        _bulkhead.Events.Any += _events.Add;
    }

    [Fact]
    public void TryAcquirePermission_UpToLimit_PermitsThenRejects()
    {
        _bulkhead.TryAcquirePermission(out _).Should().BeTrue();
        _bulkhead.TryAcquirePermission(out _).Should().BeTrue();
        _bulkhead.TryAcquirePermission(out BulkheadPermit refused).Should().BeFalse();

        refused.Should().Be(default(BulkheadPermit));
        _bulkhead.Available().Should().Be(0);
        _events.Select(e => e.EventType).Should().Equal(BulkheadEventType.CallPermitted, BulkheadEventType.CallPermitted, BulkheadEventType.CallRejected);
    }

    [Fact]
    public void AcquirePermission_Full_ThrowsAndPublishesRejected()
    {
        _bulkhead.Hold(2);

        _bulkhead.Invoking(b => b.AcquirePermission()).Should().Throw<BulkheadFullException>()
            .Which.Message.Should().Be("Bulkhead 'proto' is full and does not permit further calls.");

        BulkheadEvent rejected = _events[^1];
        rejected.EventType.Should().Be(BulkheadEventType.CallRejected);
        rejected.ToString().Should().EndWith("Bulkhead 'proto' rejected a call.");
    }

    [Fact]
    public async Task AcquirePermissionAsync_PermitFree_CompletesSynchronously()
    {
        ValueTask<BulkheadPermit> acquire = _bulkhead.AcquirePermissionAsync();

        acquire.IsCompletedSuccessfully.Should().BeTrue();
        BulkheadPermit permit = await acquire;
        _bulkhead.Available().Should().Be(1);
        _events[^1].ToString().Should().EndWith("Bulkhead 'proto' permitted a call.");
        permit.Complete();
        _bulkhead.Available().Should().Be(2);
    }

    [Fact]
    public async Task AcquirePermissionAsync_FullWithoutWait_FaultsWithBulkheadFull()
    {
        _bulkhead.Hold(2);

        Func<Task> acquire = async () => await _bulkhead.AcquirePermissionAsync();

        await acquire.Should().ThrowAsync<BulkheadFullException>();
        _events[^1].EventType.Should().Be(BulkheadEventType.CallRejected);
    }

    [Fact]
    public async Task AcquirePermissionAsync_TokenAlreadyCancelled_IsCancelledWithoutPermitOrEvent()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        ValueTask<BulkheadPermit> acquire = _bulkhead.AcquirePermissionAsync(cts.Token);

        acquire.IsCanceled.Should().BeTrue();
        _bulkhead.Available().Should().Be(2);
        _events.Should().BeEmpty();
    }

    [Fact]
    public void Events_TypedHandlers_ReceiveOnlyTheirType()
    {
        var permitted = new List<BulkheadEvent>();
        var rejected = new List<BulkheadEvent>();
        var finished = new List<BulkheadEvent>();
        _bulkhead.Events.CallPermitted += permitted.Add;
        _bulkhead.Events.CallRejected += rejected.Add;
        _bulkhead.Events.CallFinished += finished.Add;

        _bulkhead.Execute(static () => 1);
        _bulkhead.Hold(2);
        _bulkhead.TryAcquirePermission(out _);

        permitted.Should().HaveCount(3).And.OnlyContain(e => e.EventType == BulkheadEventType.CallPermitted && e.BulkheadName == "proto");
        rejected.Should().ContainSingle().Which.EventType.Should().Be(BulkheadEventType.CallRejected);
        finished.Should().ContainSingle().Which.EventType.Should().Be(BulkheadEventType.CallFinished);
        _events.Should().HaveCount(5);
    }

    [Fact]
    public void Events_HandlerThrows_IsSkippedAndCallSucceeds()
    {
        int later = 0;
        _bulkhead.Events.CallPermitted += _ => throw new InvalidOperationException("bad handler");
        _bulkhead.Events.CallPermitted += _ => later++;

        int result = _bulkhead.Execute(static () => 5);

        result.Should().Be(5);
        later.Should().Be(1);
        _bulkhead.Available().Should().Be(2);
    }

    [Fact]
    public void Events_HandlerRemoved_NoLongerCalled()
    {
        int calls = 0;
        void Handler(BulkheadEvent e) => calls++;
        _bulkhead.Events.CallFinished += Handler;
        _bulkhead.Execute(static () => 1);
        _bulkhead.Events.CallFinished -= Handler;

        _bulkhead.Execute(static () => 1);

        calls.Should().Be(1);
    }

    [Fact]
    public void GetMetrics_WhileCallsRunAndWait_CountsPermitsAndWaiters()
    {
        SemaphoreBulkhead bulkhead = Create(_time, 3, TimeSpan.FromSeconds(1));
        bulkhead.Hold(3);
        _ = bulkhead.StartWaiting();
        _ = bulkhead.StartWaiting();

        bulkhead.GetMetrics().Should().Be(new BulkheadMetrics { AvailableConcurrentCalls = 0, MaxAllowedConcurrentCalls = 3, WaitingCalls = 2 });
        _time.Advance(TimeSpan.FromSeconds(1));
        bulkhead.GetMetrics().WaitingCalls.Should().Be(0);
        bulkhead.CompleteOne();
        bulkhead.GetMetrics().AvailableConcurrentCalls.Should().Be(1);
    }
}
