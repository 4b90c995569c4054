using System.Net;
using System.Net.Http.Headers;
using Resilience.Routing.Internal;

namespace Resilience.Routing.Tests.Internal;

public sealed class EndpointRouterTests
{
    [Theory]
    [InlineData(200, nameof(EndpointOutcome.Success))]
    [InlineData(404, nameof(EndpointOutcome.Success))]
    [InlineData(500, nameof(EndpointOutcome.ServerError))]
    [InlineData(502, nameof(EndpointOutcome.GatewayFailure))]
    [InlineData(503, nameof(EndpointOutcome.GatewayFailure))]
    [InlineData(504, nameof(EndpointOutcome.GatewayFailure))]
    public void Classify_HttpStatus_MapsAsEnvoyCountsIt(int status, string expected)
    {
        using var response = new HttpResponseMessage((HttpStatusCode)status) { RequestMessage = new HttpRequestMessage(HttpMethod.Get, "http://svc/") };

        EndpointRouter.Classify(response).ToString().Should().Be(expected);
    }

    [Theory]
    [InlineData(0, nameof(EndpointOutcome.Success))]
    [InlineData(1, nameof(EndpointOutcome.Success))]
    [InlineData(3, nameof(EndpointOutcome.Success))]
    [InlineData(2, nameof(EndpointOutcome.ServerError))]
    [InlineData(4, nameof(EndpointOutcome.GatewayFailure))]
    [InlineData(8, nameof(EndpointOutcome.ServerError))]
    [InlineData(13, nameof(EndpointOutcome.ServerError))]
    [InlineData(14, nameof(EndpointOutcome.GatewayFailure))]
    [InlineData(15, nameof(EndpointOutcome.ServerError))]
    public void Classify_TrailersOnlyGrpcResponse_MapsItsStatus(int grpcStatus, string expected)
    {
        using var response = GrpcResponse(grpcStatus, "application/grpc");

        EndpointRouter.Classify(response).ToString().Should().Be(expected);
    }

    [Fact]
    public void Classify_GrpcStatusHeaderOnAPlainHttpRequest_IsASuccess()
    {
        using var response = GrpcResponse(14, "application/json");

        EndpointRouter.Classify(response).Should().Be(EndpointOutcome.Success);
    }

    private static HttpResponseMessage GrpcResponse(int grpcStatus, string requestContentType)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "http://svc/pkg.Service/Method") { Content = new ByteArrayContent([]) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(requestContentType);
        var response = new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request };
        response.Headers.TryAddWithoutValidation("grpc-status", grpcStatus.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return response;
    }
}
