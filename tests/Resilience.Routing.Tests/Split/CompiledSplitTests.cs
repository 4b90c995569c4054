using Resilience.Routing.Internal;
using Resilience.Routing.Split;

namespace Resilience.Routing.Tests.Split;

public sealed class CompiledSplitTests
{
    [Fact]
    public void Choose_95To5Seeded_SharesWithinHalfPercent()
    {
        CompiledSplit split = CompiledSplit.Compile(SplitEndpoints.Options(95, 5))!;
        RandomSource random = RandomSource.Seeded(16);
        using HttpRequestMessage request = SplitEndpoints.Request();

        int v2 = Enumerable.Range(0, 100_000).Count(_ => split.SubsetName(split.Choose(request, random)) == "v2");

        ((double)v2 / 100_000).Should().BeApproximately(0.05, 0.005);
    }

    [Fact]
    public void Choose_CanaryHeaderAlways_AlwaysV2()
    {
        TrafficSplitOptions options = SplitEndpoints.Options(100, 0);
        options.Routes.Add(new TrafficRouteOptions { Header = "x-canary", Exact = "always", Subset = "v2" });
        CompiledSplit split = CompiledSplit.Compile(options)!;
        RandomSource random = RandomSource.Seeded(1);
        using HttpRequestMessage canary = SplitEndpoints.Request("X-Canary", "always");
        using HttpRequestMessage other = SplitEndpoints.Request("x-canary", "always-not");

        Enumerable.Range(0, 1_000).Select(_ => split.SubsetName(split.Choose(canary, random))).Should().OnlyContain(static s => s == "v2");
        Enumerable.Range(0, 1_000).Select(_ => split.SubsetName(split.Choose(other, random))).Should().OnlyContain(static s => s == "v1", "an exact match is exact");
    }

    [Fact]
    public void Choose_PrefixRouteAmongSeveralValues_MatchesAnyValueStart()
    {
        TrafficSplitOptions options = SplitEndpoints.Options(1, 0);
        options.Routes.Add(new TrafficRouteOptions { Header = "x-user", Prefix = "beta-", Subset = "v2" });
        CompiledSplit split = CompiledSplit.Compile(options)!;
        using HttpRequestMessage beta = SplitEndpoints.Request();
        beta.Headers.TryAddWithoutValidation("x-user", ["alice", "beta-bob"]);
        using HttpRequestMessage plain = SplitEndpoints.Request("x-user", "bob-beta-");

        split.SubsetName(split.Choose(beta, RandomSource.Seeded(1))).Should().Be("v2");
        split.SubsetName(split.Choose(plain, RandomSource.Seeded(1))).Should().Be("v1");
    }

    [Fact]
    public void Choose_StickyHeader_KeepsEachValueOnOneSubset()
    {
        TrafficSplitOptions options = SplitEndpoints.Options(50, 50);
        options.StickyHeader = "x-user";
        CompiledSplit split = CompiledSplit.Compile(options)!;
        RandomSource random = RandomSource.Seeded(3);

        var subsets = new Dictionary<string, HashSet<string>>();
        for (int user = 0; user < 200; user++)
        {
            for (int attempt = 0; attempt < 20; attempt++)
            {
                using HttpRequestMessage request = SplitEndpoints.Request("x-user", $"user-{user}");
                string key = $"user-{user}";
                subsets.TryAdd(key, []);
                subsets[key].Add(split.SubsetName(split.Choose(request, random)));
            }
        }

        subsets.Values.Should().OnlyContain(static s => s.Count == 1, "a header value keeps its subset");
        subsets.Values.Count(static s => s.Contains("v2")).Should().BeInRange(70, 130, "the values spread by weight");
    }

    [Theory]
    [InlineData(100, 0, "v1")]
    [InlineData(0, 7, "v2")]
    public void Choose_WeightZero_NeverChosen(int v1, int v2, string only)
    {
        CompiledSplit split = CompiledSplit.Compile(SplitEndpoints.Options(v1, v2))!;
        RandomSource random = RandomSource.Seeded(9);
        using HttpRequestMessage request = SplitEndpoints.Request();

        Enumerable.Range(0, 10_000).Select(_ => split.SubsetName(split.Choose(request, random))).Should().OnlyContain(s => s == only);
    }

    [Fact]
    public void Choose_LoneDestinationWithoutWeight_GetsEverything()
    {
        var options = new TrafficSplitOptions();
        options.Subsets["v2"] = new TrafficSubsetOptions { Version = "v2" };
        options.Destinations.Add(new TrafficDestinationOptions { Subset = "v2" });
        CompiledSplit split = CompiledSplit.Compile(options)!;
        using HttpRequestMessage request = SplitEndpoints.Request();

        split.SubsetName(split.Choose(request, RandomSource.Seeded(1))).Should().Be("v2");
        split.TotalWeight.Should().Be(1);
    }

    [Fact]
    public void Compile_EmptyOptions_ReturnsNull() => CompiledSplit.Compile(new TrafficSplitOptions()).Should().BeNull();

    [Fact]
    public void Build_SubsetsByVersionZoneAndAddress_SelectTheirEndpoints()
    {
        var options = new TrafficSplitOptions();
        options.Subsets["v1"] = new TrafficSubsetOptions { Version = "v1" };
        options.Subsets["v2"] = new TrafficSubsetOptions { Version = "v2" };
        options.Subsets["third"] = new TrafficSubsetOptions { Addresses = { "http://10.0.0.3" } };
        options.Subsets["none"] = new TrafficSubsetOptions { Version = "v1", Zone = "eu" };
        options.Destinations.Add(new TrafficDestinationOptions { Subset = "v1", Weight = 1 });
        RoutingSnapshot snapshot = SplitEndpoints.Snapshot("v1", "v2", "v1", null);

        RoutingSnapshot[] subsets = CompiledSplit.Compile(options)!.Build(snapshot);

        subsets.Select(static s => string.Join(",", s.Endpoints.Select(static e => e.ToString()))).Should().Equal(
            "http://10.0.0.1:80,http://10.0.0.3:80", "http://10.0.0.2:80", "http://10.0.0.3:80", string.Empty);
        subsets[0].States.Should().Equal(snapshot.States[0], snapshot.States[2]);
        subsets[0].Version.Should().Be(snapshot.Version);
    }
}
