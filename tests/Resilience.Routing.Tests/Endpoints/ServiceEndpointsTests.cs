using Microsoft.Extensions.Time.Testing;
using Resilience.Discovery;
using Resilience.Routing.Internal;

namespace Resilience.Routing.Tests.Endpoints;

public sealed class ServiceEndpointsTests
{
    [Fact]
    public async Task Update_SameVersion_ReturnsTheSameSnapshot()
    {
        await using var endpoints = new TestEndpoints(3);
        var service = new ServiceEndpoints(TestEndpoints.Service);
        EndpointSet set = await endpoints.Resolver.GetEndpointSetAsync(TestEndpoints.Service);

        RoutingSnapshot first = service.Update(set, TimeProvider.System);

        service.Update(set, TimeProvider.System).Should().BeSameAs(first);
        first.States.Should().OnlyContain(static s => s.JoinedAt == EndpointJoin.Initial, "the first set's endpoints are not in slow start");
    }

    [Fact]
    public async Task Update_EndpointLeavesAndAnotherJoins_KeepsTheStayingStateAndEvictsTheLeaver()
    {
        await using var endpoints = new TestEndpoints(3);
        var time = new FakeTimeProvider();
        var service = new ServiceEndpoints(TestEndpoints.Service);
        RoutingSnapshot before = service.Update(await endpoints.Resolver.GetEndpointSetAsync(TestEndpoints.Service), time);
        before.States[1].TryEnter(EndpointState.Unlimited);
        time.Advance(TimeSpan.FromMinutes(1));

        EndpointSet next = await endpoints.ChangeAsync(1, 4); // 0 leaves, 3 joins
        RoutingSnapshot after = service.Update(next, time);

        after.Version.Should().Be(next.Version);
        after.States.Select(static s => s.Key).Should().Equal(next.Endpoints.Select(static e => e.ToString()));
        after.States.Should().NotContain(before.States[0], "the endpoint that left is evicted");
        after.States.Should().Contain(before.States[1]).Which.ActiveRequests.Should().Be(1, "the state of an endpoint that stays carries over");
        after.States.Single(s => !before.States.Contains(s)).JoinedAt.Should().Be(time.GetTimestamp(), "a joining endpoint starts its slow start now");
    }

    [Fact]
    public async Task EnsureDetector_AfterTheFirstSnapshot_TracksItsEndpointsAndIsMadeOnce()
    {
        await using var endpoints = new TestEndpoints(3);
        using var telemetry = new OutlierTelemetry();
        using var service = new ServiceEndpoints(TestEndpoints.Service);
        RoutingSnapshot snapshot = service.Update(await endpoints.Resolver.GetEndpointSetAsync(TestEndpoints.Service), TimeProvider.System);
        int made = 0;

        OutlierDetector detector = service.EnsureDetector(t => { made++; return Detector(t, new FakeTimeProvider()); }, telemetry);
        OutlierDetector again = service.EnsureDetector(t => { made++; return Detector(t, new FakeTimeProvider()); }, telemetry);

        again.Should().BeSameAs(detector);
        made.Should().Be(1);
        service.Detector.Should().BeSameAs(detector);
        detector.EndpointCount.Should().Be(3, "the endpoints of the current snapshot are tracked when the detector comes");
        snapshot.States.Should().OnlyContain(static s => s.Outlier != null && !s.IsEjected);
    }

    [Fact]
    public void EnsureBudget_CalledTwice_MakesOneBudget()
    {
        using var telemetry = new RetryBudgetTelemetry();
        var service = new ServiceEndpoints(TestEndpoints.Service);
        int made = 0;

        RetryBudget budget = service.EnsureBudget(t => { made++; return new RetryBudget(TestEndpoints.Service, new RetryBudgetOptions(), TimeProvider.System, t); }, telemetry);
        RetryBudget again = service.EnsureBudget(t => { made++; return new RetryBudget(TestEndpoints.Service, new RetryBudgetOptions(), TimeProvider.System, t); }, telemetry);

        again.Should().BeSameAs(budget);
        service.Budget.Should().BeSameAs(budget);
        made.Should().Be(1);
    }

    [Fact]
    public async Task Update_EjectedEndpointLeaves_DetectorForgetsItAndFreesItsPlace()
    {
        await using var endpoints = new TestEndpoints(3);
        using var telemetry = new OutlierTelemetry();
        var time = new FakeTimeProvider();
        using var service = new ServiceEndpoints(TestEndpoints.Service);
        OutlierDetector detector = service.EnsureDetector(t => Detector(t, time), telemetry);
        RoutingSnapshot before = service.Update(await endpoints.Resolver.GetEndpointSetAsync(TestEndpoints.Service), time);
        Eject(detector, before.States[0]);
        before.States[0].IsEjected.Should().BeTrue("the ejection is reflected on the endpoint's state");
        detector.EjectedCount.Should().Be(1);

        RoutingSnapshot after = service.Update(await endpoints.ChangeAsync(1, 4), time); // 0 leaves, 3 joins

        detector.EjectedCount.Should().Be(0, "the ejected endpoint left the set");
        detector.EndpointCount.Should().Be(3, "one forgotten, one tracked");
        after.States.Should().OnlyContain(static s => s.Outlier != null && !s.IsEjected);
    }

    [Fact]
    public async Task RefreshEjections_EjectionTimeUp_ReturnsTheEndpointAndCountsItHealthy()
    {
        await using var endpoints = new TestEndpoints(3);
        using var telemetry = new OutlierTelemetry();
        var time = new FakeTimeProvider();
        using var service = new ServiceEndpoints(TestEndpoints.Service);
        OutlierDetector detector = service.EnsureDetector(t => Detector(t, time), telemetry);
        RoutingSnapshot snapshot = service.Update(await endpoints.Resolver.GetEndpointSetAsync(TestEndpoints.Service), time);
        Eject(detector, snapshot.States[1]);

        ServiceEndpoints.RefreshEjections(snapshot, detector).Should().Be(2);
        snapshot.States[1].IsEjected.Should().BeTrue();

        time.Advance(TimeSpan.FromSeconds(30));

        ServiceEndpoints.RefreshEjections(snapshot, detector).Should().Be(3, "the base ejection time is up");
        snapshot.States[1].IsEjected.Should().BeFalse();
        detector.EjectedCount.Should().Be(0);
    }

    [Fact]
    public void EnsureDetector_EjectionBeforeAnySnapshot_IsIgnored()
    {
        using var telemetry = new OutlierTelemetry();
        using var service = new ServiceEndpoints(TestEndpoints.Service);
        OutlierDetector detector = service.EnsureDetector(t => Detector(t, new FakeTimeProvider()), telemetry);
        OutlierStatistics unknown = detector.Track("10.9.9.9:80");

        for (int i = 0; i < 5; i++)
        {
            detector.Record(unknown, EndpointOutcome.ServerError);
        }

        detector.IsEjected(unknown).Should().BeTrue();
        service.Current.Should().BeNull("an ejection with no snapshot has no state to mark");
    }

    [Fact]
    public async Task EnsureDetector_EjectionOfAnEndpointOutsideTheSnapshot_MarksNoState()
    {
        await using var endpoints = new TestEndpoints(2);
        using var telemetry = new OutlierTelemetry();
        using var service = new ServiceEndpoints(TestEndpoints.Service);
        OutlierDetector detector = service.EnsureDetector(t => Detector(t, new FakeTimeProvider()), telemetry);
        RoutingSnapshot snapshot = service.Update(await endpoints.Resolver.GetEndpointSetAsync(TestEndpoints.Service), TimeProvider.System);
        OutlierStatistics unknown = detector.Track("10.9.9.9:80");

        for (int i = 0; i < 5; i++)
        {
            detector.Record(unknown, EndpointOutcome.ServerError);
        }

        detector.IsEjected(unknown).Should().BeTrue();
        snapshot.States.Should().OnlyContain(static s => !s.IsEjected);
    }

    private static OutlierDetector Detector(OutlierTelemetry telemetry, TimeProvider time) =>
        new(TestEndpoints.Service, new OutlierDetectionOptions { MaxEjectionPercent = 100 }, time, telemetry);

    private static void Eject(OutlierDetector detector, EndpointState state)
    {
        for (int i = 0; i < 5; i++)
        {
            detector.Record((OutlierStatistics)state.Outlier!, EndpointOutcome.ServerError);
        }
    }
}
