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
}
