using Resilience.Routing.Internal;
using Resilience.Routing.Split;

namespace Resilience.Routing.Tests.Split;

public sealed class TrafficSplitterTests
{
    [Fact]
    public void Select_NoSplit_ReturnsTheSnapshot()
    {
        RoutingSnapshot snapshot = SplitEndpoints.Snapshot("v1", "v2");
        using HttpRequestMessage request = SplitEndpoints.Request();

        new TrafficSplitter(null, RandomSource.Seeded(1)).Select(request, snapshot).Should().BeSameAs(snapshot);
    }

    [Fact]
    public void Select_SameVersion_ReturnsTheSubsetsSnapshotWithoutAllocating()
    {
        RoutingSnapshot snapshot = SplitEndpoints.Snapshot("v1", "v2", "v1");
        var splitter = new TrafficSplitter(CompiledSplit.Compile(SplitEndpoints.Options(0, 1)), RandomSource.Seeded(1));
        using HttpRequestMessage request = SplitEndpoints.Request("x-other", "1");
        RoutingSnapshot first = splitter.Select(request, snapshot);

        long before = GC.GetAllocatedBytesForCurrentThread();
        RoutingSnapshot second = splitter.Select(request, snapshot);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        second.Should().BeSameAs(first);
        second.Endpoints.Should().ContainSingle().Which.Version.Should().Be("v2");
        allocated.Should().Be(0);
    }

    [Fact]
    public void Select_SubsetWithoutEndpoints_ThrowsNamingTheSubset()
    {
        var splitter = new TrafficSplitter(CompiledSplit.Compile(SplitEndpoints.Options(0, 1)), RandomSource.Seeded(1));
        using HttpRequestMessage request = SplitEndpoints.Request();

        Action select = () => splitter.Select(request, SplitEndpoints.Snapshot("v1", "v1"));

        select.Should().Throw<HttpRequestException>().WithMessage("The subset 'v2' of the service 'http://svc' has no endpoint among the 2 of the set (version 1): no healthy upstream.");
    }

    [Fact]
    public void Select_SubsetAllEjected_ReturnsItForTheRouterToApplyPanicOrRefuse()
    {
        RoutingSnapshot snapshot = SplitEndpoints.Snapshot("v1", "v2");
        snapshot.States[1].IsEjected = true;
        var splitter = new TrafficSplitter(CompiledSplit.Compile(SplitEndpoints.Options(0, 1)), RandomSource.Seeded(1));
        using HttpRequestMessage request = SplitEndpoints.Request();

        RoutingSnapshot chosen = splitter.Select(request, snapshot);

        chosen.States.Should().ContainSingle().Which.Should().BeSameAs(snapshot.States[1]);
    }

    [Fact]
    public void Replace_NewSplit_UsedByTheNextSelect()
    {
        RoutingSnapshot snapshot = SplitEndpoints.Snapshot("v1", "v2");
        var splitter = new TrafficSplitter(CompiledSplit.Compile(SplitEndpoints.Options(1, 0)), RandomSource.Seeded(1));
        using HttpRequestMessage request = SplitEndpoints.Request();
        splitter.Select(request, snapshot).Endpoints.Single().Version.Should().Be("v1");

        splitter.Replace(CompiledSplit.Compile(SplitEndpoints.Options(0, 1)));

        splitter.Select(request, snapshot).Endpoints.Single().Version.Should().Be("v2");
    }
}
