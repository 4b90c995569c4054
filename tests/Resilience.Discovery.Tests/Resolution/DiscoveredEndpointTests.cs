using System.Net;

namespace Resilience.Discovery.Tests.Resolution;

public sealed class DiscoveredEndpointTests
{
    private const int PathStart = 16; // after "http://inventory"

    [Fact]
    public void Rewrite_PathSeenBefore_ReturnsTheSameAddress()
    {
        DiscoveredEndpoint endpoint = Endpoint();

        Uri first = endpoint.Rewrite(new Uri("http://inventory/stock/7?zone=a"), PathStart);
        Uri second = endpoint.Rewrite(new Uri("http://inventory/stock/7?zone=a"), PathStart);

        first.Should().Be(new Uri("http://10.0.0.1:8080/stock/7?zone=a"));
        second.Should().BeSameAs(first);
    }

    [Theory]
    [InlineData("http://inventory/a/../b c?q=1 2")]
    [InlineData("http://inventory")]
    [InlineData("http://inventory?q")]
    [InlineData("http://inventory/x%2Fy#part")]
    public void Rewrite_AnyPath_SameAsThePathAndQueryOnTheEndpoint(string logical)
    {
        var address = new Uri(logical);

        Uri rewritten = Endpoint().Rewrite(address, PathStart);

        rewritten.AbsoluteUri.Should().Be(new Uri("http://10.0.0.1:8080" + address.PathAndQuery).AbsoluteUri);
    }

    [Fact]
    public void Rewrite_MorePathsThanTheCacheHolds_StillRewritesEach()
    {
        DiscoveredEndpoint endpoint = Endpoint();
        for (int i = 0; i < DiscoveredEndpoint.MaxCachedAddresses; i++)
        {
            endpoint.Rewrite(new Uri($"http://inventory/stock/{i}"), PathStart);
        }

        Uri past = endpoint.Rewrite(new Uri("http://inventory/stock/past"), PathStart);
        Uri again = endpoint.Rewrite(new Uri("http://inventory/stock/past"), PathStart);

        again.Should().Be(past).And.NotBeSameAs(past, "the cache is full");
        endpoint.Rewrite(new Uri("http://inventory/stock/0"), PathStart).Should().BeSameAs(endpoint.Rewrite(new Uri("http://inventory/stock/0"), PathStart));
    }

    [Theory]
    [InlineData("http://inventory/a/../b c?q=1 2")]
    [InlineData("http://inventory")]
    [InlineData("http://inventory?q")]
    [InlineData("http://inventory:81/x%2Fy#part")]
    [InlineData("http://user@inventory/stock/7")]
    [InlineData("http://inventory/stock\\7?a=b\\c")]
    public void Rewrite_PublicAnyAddress_SameAsThePathAndQueryOnTheEndpoint(string logical)
    {
        var address = new Uri(logical);

        Uri rewritten = Endpoint().Rewrite(address);

        rewritten.AbsoluteUri.Should().Be(new Uri("http://10.0.0.1:8080" + address.PathAndQuery).AbsoluteUri);
    }

    [Fact]
    public void Rewrite_PublicPathSeenBefore_ReturnsTheSameAddress()
    {
        DiscoveredEndpoint endpoint = Endpoint();

        Uri first = endpoint.Rewrite(new Uri("http://inventory/stock/7?zone=a"));

        endpoint.Rewrite(new Uri("http://inventory/stock/7?zone=a")).Should().BeSameAs(first);
    }

    [Fact]
    public void Rewrite_RelativeAddress_Throws()
    {
        Action rewrite = () => Endpoint().Rewrite(new Uri("/stock/7", UriKind.Relative));

        rewrite.Should().Throw<ArgumentException>().WithParameterName("logicalAddress");
    }

    private static DiscoveredEndpoint Endpoint() =>
        new(new IPEndPoint(IPAddress.Parse("10.0.0.1"), 8080), "http://10.0.0.1:8080", 1, null, null);
}
