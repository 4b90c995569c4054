using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using PoolBulkhead = Resilience.ThreadPoolBulkhead;

namespace Resilience.Tests.ThreadPoolBulkhead;

public class ThreadPoolBulkheadEventsTests
{
    [Fact]
    public async Task Events_AcceptedTask_PermittedAndFinishedOnTheWorkerBeforeTheTaskCompletes()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));
        using PoolBulkhead bulkhead = ThreadPoolBulkheadTestSupport.Create(core: 1, max: 1, queue: 0, time, name: "ev");
        var seen = new ConcurrentQueue<(ThreadPoolBulkheadEvent Event, string? Thread)>();
        bulkhead.Events.Any += e => seen.Enqueue((e, Thread.CurrentThread.Name));

        await bulkhead.Submit(() => 1).Within();

        seen.Select(s => s.Event.EventType).Should().Equal(ThreadPoolBulkheadEventType.CallPermitted, ThreadPoolBulkheadEventType.CallFinished);
        seen.Should().OnlyContain(s => s.Thread == "bulkhead-ev-1" && s.Event.BulkheadName == "ev" && s.Event.CreationTime == time.GetUtcNow());
    }

    [Fact]
    public void Events_Rejection_PublishedOnTheSubmittingThreadBeforeTheThrow()
    {
        using PoolBulkhead bulkhead = ThreadPoolBulkheadTestSupport.Create(core: 1, max: 1, queue: 0);
        using var work = new BlockingWork();
        _ = work.Submit(bulkhead);
        var rejected = new List<int>();
        bulkhead.Events.CallRejected += _ => rejected.Add(Environment.CurrentManagedThreadId);

        Action act = () => bulkhead.Submit(() => 1);

        act.Should().Throw<BulkheadFullException>();
        rejected.Should().Equal(Environment.CurrentManagedThreadId);
    }

    [Fact]
    public async Task Events_TypedHandlers_ReceiveOnlyTheirTypeAndAnyRunsFirst()
    {
        using PoolBulkhead bulkhead = ThreadPoolBulkheadTestSupport.Create(core: 1, max: 1, queue: 0);
        var log = new ConcurrentQueue<string>();
        bulkhead.Events.CallPermitted += e => log.Enqueue("permitted:" + e.EventType);
        bulkhead.Events.CallFinished += e => log.Enqueue("finished:" + e.EventType);
        bulkhead.Events.Any += e => log.Enqueue("any:" + e.EventType);

        await bulkhead.Submit(() => 1).Within();

        log.Should().Equal("any:CallPermitted", "permitted:CallPermitted", "any:CallFinished", "finished:CallFinished");
    }

    [Fact]
    public async Task Events_ThrowingHandler_IsSkippedAndBreaksNeitherTaskNorThread()
    {
        using PoolBulkhead bulkhead = ThreadPoolBulkheadTestSupport.Create(core: 1, max: 1, queue: 0);
        int finished = 0;
        bulkhead.Events.CallPermitted += _ => throw new InvalidOperationException("handler");
        bulkhead.Events.CallFinished += _ => Interlocked.Increment(ref finished);

        (await bulkhead.Submit(() => 3).Within()).Should().Be(3);
        (await bulkhead.Submit(() => 4).Within()).Should().Be(4);

        finished.Should().Be(2);
    }

    [Fact]
    public async Task Events_Unsubscribed_HandlerNoLongerCalled()
    {
        using PoolBulkhead bulkhead = ThreadPoolBulkheadTestSupport.Create(core: 1, max: 1, queue: 0);
        int calls = 0;
        void Handler(ThreadPoolBulkheadEvent e) => Interlocked.Increment(ref calls);
        bulkhead.Events.Any += Handler;
        await bulkhead.Submit(() => 1).Within();

        bulkhead.Events.Any -= Handler;
        await bulkhead.Submit(() => 1).Within();

        calls.Should().Be(2);
    }

    [Fact]
    public void ToString_Event_DescribesIt()
    {
        var e = new ThreadPoolBulkheadEvent
        {
            EventType = ThreadPoolBulkheadEventType.CallRejected,
            BulkheadName = "inventory",
            CreationTime = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero),
        };

        e.ToString().Should().Be("2025-01-02T03:04:05.0000000+00:00: Thread-pool bulkhead 'inventory' rejected a call");
    }

    [Theory]
    [InlineData(ThreadPoolBulkheadEventType.CallPermitted, "permitted a call")]
    [InlineData(ThreadPoolBulkheadEventType.CallFinished, "finished a call")]
    [InlineData((ThreadPoolBulkheadEventType)99, "published 99")]
    public void ToString_EachEventType_DescribesEvent(ThreadPoolBulkheadEventType type, string description)
    {
        var e = new ThreadPoolBulkheadEvent { EventType = type, BulkheadName = "inventory", CreationTime = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero) };

        e.ToString().Should().Be("2025-01-02T03:04:05.0000000+00:00: Thread-pool bulkhead 'inventory' " + description);
    }
}
