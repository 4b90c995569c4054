using System.Net.Http.Json;
using Resilience.Routing.Internal;

namespace Resilience.Routing.Tests.Hedging;

public sealed class HedgedRequestsTests
{
    [Theory]
    [InlineData("GET", true)]
    [InlineData("HEAD", true)]
    [InlineData("OPTIONS", true)]
    [InlineData("TRACE", true)]
    [InlineData("PUT", true)]
    [InlineData("DELETE", true)]
    [InlineData("POST", false)]
    [InlineData("PATCH", false)]
    [InlineData("CONNECT", false)]
    public void CanHedge_Method_OnlyTheIdempotentOnes(string method, bool expected)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), "http://svc/x");

        HedgedRequests.CanHedge(request).Should().Be(expected);
    }

    [Fact]
    public void CanHedge_Content_OnlyContentThatSerializesFromMemory()
    {
        static bool Put(HttpContent content)
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, "http://svc/x") { Content = content };
            return HedgedRequests.CanHedge(request);
        }

        Put(new StringContent("a")).Should().BeTrue();
        Put(new ByteArrayContent([1])).Should().BeTrue();
        Put(new ReadOnlyMemoryContent(new byte[] { 1 })).Should().BeTrue();
        Put(JsonContent.Create(new { A = 1 })).Should().BeTrue();
        Put(new StreamContent(new MemoryStream([1]))).Should().BeFalse();
        Put(new MultipartContent { new StringContent("a") }).Should().BeFalse();
    }

    [Fact]
    public void CanHedge_RelativeAddress_IsFalse()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/x", UriKind.Relative));

        HedgedRequests.CanHedge(request).Should().BeFalse();
    }

    [Fact]
    public async Task Clone_Request_CopiesMethodVersionHeadersOptionsAndContentWithTheLogicalAddress()
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, "http://10.0.0.1:80/x")
        {
            Version = new Version(2, 0),
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new StringContent("body"),
        };
        request.Headers.Add("x-a", ["1", "2"]);
        var key = new HttpRequestOptionsKey<string>("k");
        request.Options.Set(key, "v");

        using HttpRequestMessage clone = HedgedRequests.Clone(request, new Uri("http://svc/x"));
        using HttpRequestMessage second = HedgedRequests.Clone(clone, new Uri("http://svc/x"));

        clone.Method.Should().Be(HttpMethod.Put);
        clone.RequestUri.Should().Be(new Uri("http://svc/x"));
        clone.Version.Should().Be(new Version(2, 0));
        clone.VersionPolicy.Should().Be(HttpVersionPolicy.RequestVersionExact);
        clone.Headers.GetValues("x-a").Should().Equal("1", "2");
        clone.Options.TryGetValue(key, out string? value).Should().BeTrue();
        value.Should().Be("v");
        (await second.Content!.ReadAsStringAsync()).Should().Be("body");
        clone.Dispose();
        second.Dispose();
        (await request.Content.ReadAsStringAsync()).Should().Be("body");
    }
}
