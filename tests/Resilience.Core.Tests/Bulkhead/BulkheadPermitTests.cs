using Microsoft.Extensions.Time.Testing;
using static Resilience.Tests.Bulkhead.BulkheadTestSupport;
using SemaphoreBulkhead = Resilience.Bulkhead;

namespace Resilience.Tests.Bulkhead;

/// <summary>The permit of the call contract: its two completions and the misuse it detects.</summary>
public class BulkheadPermitTests
{
    private static readonly DateTimeOffset Start = new(2031, 2, 3, 4, 5, 6, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);
    private readonly SemaphoreBulkhead _bulkhead;
    private readonly List<BulkheadEvent> _events = [];

    public BulkheadPermitTests()
    {
        _bulkhead = Create(_time, 2, name: "proto");
        _bulkhead.Events.Any += _events.Add;
    }

    [Fact]
    public void Complete_AfterAcquire_GivesPermitBackAndPublishesFinished()
    {
        BulkheadPermit permit = _bulkhead.AcquirePermission();
        _time.Advance(TimeSpan.FromSeconds(3));

        permit.Complete();

        _bulkhead.Available().Should().Be(2);
        BulkheadEvent finished = _events[^1];
        finished.Should().Be(new BulkheadEvent { EventType = BulkheadEventType.CallFinished, BulkheadName = "proto", CreationTime = Start + TimeSpan.FromSeconds(3) });
        finished.ToString().Should().Be("2031-02-03T04:05:09.0000000+00:00: Bulkhead 'proto' has finished a call.");
    }

    [Fact]
    public void Release_AfterAcquire_GivesPermitBackWithoutEvent()
    {
        _bulkhead.TryAcquirePermission(out BulkheadPermit permit).Should().BeTrue();

        permit.Release();

        _bulkhead.Available().Should().Be(2);
        _events.Select(e => e.EventType).Should().Equal(BulkheadEventType.CallPermitted);
    }

    [Fact]
    public void Complete_DefaultPermit_ThrowsAndReleasesNothing()
    {
        Action complete = () => default(BulkheadPermit).Complete();
        Action release = () => default(BulkheadPermit).Release();

        complete.Should().Throw<InvalidOperationException>().WithMessage("*default(BulkheadPermit)*");
        release.Should().Throw<InvalidOperationException>();
        _bulkhead.GetMetrics().Should().Be(new BulkheadMetrics { AvailableConcurrentCalls = 2, MaxAllowedConcurrentCalls = 2, WaitingCalls = 0 });
        _events.Should().BeEmpty("nothing was released");
    }

#if DEBUG
    [Fact]
    public void Complete_Twice_ThrowsInDebugBuilds()
    {
        BulkheadPermit permit = _bulkhead.AcquirePermission();
        permit.Complete();

        Action again = () => permit.Complete();
        Action release = () => permit.Release();

        again.Should().Throw<InvalidOperationException>().WithMessage("*already completed*");
        release.Should().Throw<InvalidOperationException>();
        _bulkhead.Available().Should().Be(2);
    }
#else
    [Fact]
    public void Complete_TwiceInReleaseBuild_NeverRaisesFreePermitsAboveTheLimit()
    {
        BulkheadPermit permit = _bulkhead.AcquirePermission();
        permit.Complete();

        permit.Complete(); // a misuse that only Debug builds of the library detect

        _bulkhead.Available().Should().Be(2);
        _events.Select(e => e.EventType).Should().Equal(BulkheadEventType.CallPermitted, BulkheadEventType.CallFinished);
    }
#endif
}
