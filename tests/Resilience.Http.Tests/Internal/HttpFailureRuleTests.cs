using System.Net;
using Resilience.Http.Internal;
using Resilience.Http.Tests.Grpc;

namespace Resilience.Http.Tests.Internal;

public class HttpFailureRuleTests
{
    private static HttpFailureRule RetryDefault() =>
        HttpFailureRule.Create(null, null, HttpResilienceConstants.DefaultRetryGrpcStatusCodes, null);

    private static HttpFailureRule BreakerDefault() =>
        HttpFailureRule.Create(null, null, HttpResilienceConstants.DefaultFailureGrpcStatusCodes, null);

    [Theory]
    [InlineData(1)] // CANCELLED
    [InlineData(14)] // UNAVAILABLE
    public void IsFailure_RetryDefaultsRetriedGrpcStatus_True(int grpcStatus)
    {
        using HttpResponseMessage response = GrpcStatusTests.GrpcResponse(grpcStatus.ToString(System.Globalization.CultureInfo.InvariantCulture));

        RetryDefault().IsFailure(response).Should().BeTrue();
        RetryDefault().IsGrpcFailure(response).Should().BeTrue();
    }

    [Theory]
    [InlineData(0)] // OK
    [InlineData(3)] // INVALID_ARGUMENT
    [InlineData(4)] // DEADLINE_EXCEEDED: the deadline has passed
    [InlineData(5)] // NOT_FOUND
    [InlineData(8)] // RESOURCE_EXHAUSTED: may be a quota
    [InlineData(13)] // INTERNAL
    public void IsFailure_RetryDefaultsOtherGrpcStatus_False(int grpcStatus)
    {
        using HttpResponseMessage response = GrpcStatusTests.GrpcResponse(grpcStatus.ToString(System.Globalization.CultureInfo.InvariantCulture));

        RetryDefault().IsFailure(response).Should().BeFalse();
    }

    [Theory]
    [InlineData(2, true)] // UNKNOWN: an unhandled server exception
    [InlineData(4, true)] // DEADLINE_EXCEEDED
    [InlineData(8, true)] // RESOURCE_EXHAUSTED
    [InlineData(13, true)] // INTERNAL
    [InlineData(14, true)] // UNAVAILABLE
    [InlineData(15, true)] // DATA_LOSS
    [InlineData(0, false)] // OK
    [InlineData(1, false)] // CANCELLED
    [InlineData(3, false)] // INVALID_ARGUMENT
    [InlineData(5, false)] // NOT_FOUND
    [InlineData(7, false)] // PERMISSION_DENIED
    [InlineData(12, false)] // UNIMPLEMENTED
    [InlineData(16, false)] // UNAUTHENTICATED
    [InlineData(17, false)] // not a gRPC code
    public void IsFailure_BreakerDefaults_ServerSideStatusesOnly(int grpcStatus, bool failure)
    {
        using HttpResponseMessage response = GrpcStatusTests.GrpcResponse(grpcStatus.ToString(System.Globalization.CultureInfo.InvariantCulture));

        BreakerDefault().IsFailure(response).Should().Be(failure);
    }

    [Fact]
    public void IsFailure_ConfiguredGrpcCodes_ReplaceTheDefaults()
    {
        HttpFailureRule rule = HttpFailureRule.Create(null, [8], HttpResilienceConstants.DefaultRetryGrpcStatusCodes, null);
        using HttpResponseMessage exhausted = GrpcStatusTests.GrpcResponse("8");
        using HttpResponseMessage unavailable = GrpcStatusTests.GrpcResponse("14");

        rule.IsFailure(exhausted).Should().BeTrue();
        rule.IsFailure(unavailable).Should().BeFalse();
    }

    [Fact]
    public void IsFailure_GrpcStatusHeaderOnNonGrpcCall_OnlyHttpStatusCounts()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://a.test/");
        using var response = new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request };
        response.Headers.TryAddWithoutValidation("grpc-status", "14");

        BreakerDefault().IsFailure(response).Should().BeFalse();
    }

    [Fact]
    public void IsFailure_HttpFailureOfGrpcCall_StillAFailureButNotAGrpcFailure()
    {
        using HttpResponseMessage response = GrpcStatusTests.GrpcResponse(null);
        response.StatusCode = HttpStatusCode.ServiceUnavailable;

        RetryDefault().IsFailure(response).Should().BeTrue();
        RetryDefault().IsGrpcFailure(response).Should().BeFalse("a 503 from a proxy follows the HTTP rules, RetryNonIdempotentMethods included");
    }

    [Fact]
    public void IsFailure_Predicate_ReplacesGrpcCodesToo()
    {
        HttpFailureRule rule = HttpFailureRule.Create(null, [14], HttpResilienceConstants.DefaultRetryGrpcStatusCodes, static _ => false);
        using HttpResponseMessage response = GrpcStatusTests.GrpcResponse("14");

        rule.IsFailure(response).Should().BeFalse();
        rule.IsGrpcFailure(response).Should().BeFalse();
    }
}
