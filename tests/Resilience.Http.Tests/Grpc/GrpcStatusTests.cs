using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Resilience.Http.Tests.Grpc;

public class GrpcStatusTests
{
    /// <summary>A response to a gRPC call (request content type <paramref name="mediaType"/>) with <c>grpc-status</c> in its headers when given.</summary>
    internal static HttpResponseMessage GrpcResponse(string? grpcStatus, string mediaType = "application/grpc")
    {
        var content = new ByteArrayContent([0, 0, 0, 0, 0]);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        var request = new HttpRequestMessage(HttpMethod.Post, "http://a.test/pkg.Service/Method") { Content = content };
        var response = new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request };
        if (grpcStatus is not null)
        {
            response.Headers.TryAddWithoutValidation("grpc-status", grpcStatus);
        }

        return response;
    }

    [Theory]
    [InlineData("14", 14)]
    [InlineData("0", 0)]
    [InlineData("4", 4)]
    public void TryGet_TrailersOnlyResponseToGrpcCall_ReturnsStatus(string header, int expected)
    {
        using HttpResponseMessage response = GrpcResponse(header);

        GrpcStatus.TryGet(response, out int code).Should().BeTrue();
        code.Should().Be(expected);
    }

    [Theory]
    [InlineData("application/grpc+proto")]
    [InlineData("application/grpc-web")]
    [InlineData("APPLICATION/GRPC")]
    public void TryGet_GrpcSubtypesAndGrpcWeb_ReturnsStatus(string mediaType)
    {
        using HttpResponseMessage response = GrpcResponse("14", mediaType);

        GrpcStatus.TryGet(response, out int code).Should().BeTrue();
        code.Should().Be(14);
    }

    [Fact]
    public void TryGet_StatusOnlyInTrailers_False()
    {
        using HttpResponseMessage response = GrpcResponse(null);
        response.TrailingHeaders.TryAddWithoutValidation("grpc-status", "14");

        GrpcStatus.TryGet(response, out int code).Should().BeFalse("a handler cannot see trailers before the body is read, and does not pretend to");
        code.Should().Be(0);
    }

    [Theory]
    [InlineData("")]
    [InlineData("x")]
    [InlineData("-1")]
    [InlineData(" 14")]
    public void TryGet_MalformedStatus_False(string header)
    {
        using HttpResponseMessage response = GrpcResponse(header);

        GrpcStatus.TryGet(response, out _).Should().BeFalse();
    }

    [Fact]
    public void TryGet_StatusHeaderOnResponseToNonGrpcRequest_False()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://a.test/") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        using var response = new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request };
        response.Headers.TryAddWithoutValidation("grpc-status", "14");

        GrpcStatus.TryGet(response, out _).Should().BeFalse();
    }

    [Fact]
    public void TryGet_ResponseWithoutRequest_False()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK);

        GrpcStatus.TryGet(response, out _).Should().BeFalse();
    }

    [Fact]
    public void TryGet_NonGrpcResponses_AllocatesNothing()
    {
        using var get = new HttpRequestMessage(HttpMethod.Get, "http://a.test/");
        using var getResponse = new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = get };
        using var post = new HttpRequestMessage(HttpMethod.Post, "http://a.test/") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        using var postResponse = new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = post };
        GrpcStatus.TryGet(getResponse, out _);
        GrpcStatus.TryGet(postResponse, out _);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            GrpcStatus.TryGet(getResponse, out _);
            GrpcStatus.TryGet(postResponse, out _);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }

    [Fact]
    public void TryGet_TrailersOnlyGrpcResponse_AllocatesNothing()
    {
        using HttpResponseMessage response = GrpcResponse("14");
        GrpcStatus.TryGet(response, out _);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            GrpcStatus.TryGet(response, out _);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }

    [Fact]
    public void TryGet_NullResponse_Throws()
    {
        Action act = () => GrpcStatus.TryGet(null!, out _);

        act.Should().Throw<ArgumentNullException>();
    }
}
