using System.Net;
using Microsoft.Extensions.Primitives;

namespace Resilience.Discovery.Tests.Resolution;

public sealed class EndpointSetTests
{
    [Fact]
    public void PickRoundRobin_ThreeEndpoints_CyclesInOrder()
    {
        EndpointSet set = Set("a", "b", "c");

        string[] picked = [.. Enumerable.Range(0, 7).Select(_ => set.PickRoundRobin()!.ToString())];

        picked.Should().Equal(["http://a:80", "http://b:80", "http://c:80", "http://a:80", "http://b:80", "http://c:80", "http://a:80"]);
    }

    [Fact]
    public void PickRoundRobin_Empty_ReturnsNull()
    {
        Set().PickRoundRobin().Should().BeNull();
    }

    [Theory]
    [InlineData("https+http://inventory", "https://inventory:8443")]
    [InlineData("http://inventory", "http://inventory:8443")]
    public void Authority_DnsEndPoint_TakesTheNamesFirstScheme(string serviceName, string expected)
    {
        string scheme = serviceName[..serviceName.IndexOfAny(['+', ':'])];

        EndpointSetResolver.Authority(new DnsEndPoint("inventory", 8443), scheme).Should().Be(expected);
    }

    [Fact]
    public void Authority_IPv6WithoutPort_BracketsTheAddressAndOmitsThePort()
    {
        EndpointSetResolver.Authority(new IPEndPoint(IPAddress.IPv6Loopback, 0), "http").Should().Be("http://[::1]");
    }

    [Fact]
    public void Rewrite_LogicalAddress_KeepsPathAndQuery()
    {
        DiscoveredEndpoint endpoint = Set("10.0.0.7").Endpoints[0];

        endpoint.Rewrite(new Uri("http://inventory/items/7?fields=name")).Should().Be(new Uri("http://10.0.0.7:80/items/7?fields=name"));
        endpoint.ToString().Should().Be("http://10.0.0.7:80");
    }

    private static EndpointSet Set(params string[] hosts) => new(
        "http://inventory",
        [.. hosts.Select(h => new DiscoveredEndpoint(new DnsEndPoint(h, 80), EndpointSetResolver.Authority(new DnsEndPoint(h, 80), "http"), 1, null, null))],
        1,
        new CancellationChangeToken(CancellationToken.None),
        new object());
}
