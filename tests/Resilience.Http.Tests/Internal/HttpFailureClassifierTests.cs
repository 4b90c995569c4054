using System.Net;
using System.Security.Authentication;
using Resilience.Http.Internal;

namespace Resilience.Http.Tests.Internal;

public class HttpFailureClassifierTests
{
    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    [InlineData(599)]
    [InlineData(408)]
    [InlineData(429)]
    public void IsFailureStatusCode_ServerErrorsTimeoutAndTooManyRequests_True(int code)
    {
        HttpFailureClassifier.IsFailureStatusCode((HttpStatusCode)code).Should().BeTrue();
    }

    [Theory]
    [InlineData(200)]
    [InlineData(204)]
    [InlineData(301)]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(404)]
    [InlineData(409)]
    [InlineData(499)]
    [InlineData(600)]
    public void IsFailureStatusCode_SuccessRedirectsAndCallerErrors_False(int code)
    {
        HttpFailureClassifier.IsFailureStatusCode((HttpStatusCode)code).Should().BeFalse();
    }

    [Fact]
    public void IsFailureException_ConnectionFailure_True()
    {
        HttpFailureClassifier.IsFailureException(new HttpRequestException("connection refused"), CancellationToken.None).Should().BeTrue();
    }

    [Fact]
    public void IsTransientException_CertificateRejectedAtHandshake_FalseButStillAFailure()
    {
        var rejected = new HttpRequestException(HttpRequestError.SecureConnectionError, "ssl", new AuthenticationException("rejected"));

        HttpFailureClassifier.IsTransientException(rejected, CancellationToken.None).Should().BeFalse();
        HttpFailureClassifier.IsFailureException(rejected, CancellationToken.None).Should().BeTrue();
    }

    [Fact]
    public void IsTransientException_ConnectionFailureOrHandshakeCutShort_True()
    {
        var cut = new HttpRequestException(HttpRequestError.SecureConnectionError, "ssl", new IOException("unexpected EOF"));

        HttpFailureClassifier.IsTransientException(new HttpRequestException("connection refused"), CancellationToken.None).Should().BeTrue();
        HttpFailureClassifier.IsTransientException(cut, CancellationToken.None).Should().BeTrue();
    }

    [Fact]
    public void IsFailureException_TimeLimiterTimeout_True()
    {
        var timeout = new TimeLimiterTimeoutException("inventory", TimeSpan.FromSeconds(1));

        HttpFailureClassifier.IsFailureException(timeout, CancellationToken.None).Should().BeTrue();
    }

    [Fact]
    public void IsFailureException_RejectionByAnotherLayer_False()
    {
        HttpFailureClassifier.IsFailureException(new BulkheadFullException("bulkhead"), CancellationToken.None).Should().BeFalse();
        HttpFailureClassifier.IsFailureException(new RequestNotPermittedException("limiter"), CancellationToken.None).Should().BeFalse();
        HttpFailureClassifier.IsFailureException(new CallNotPermittedException("breaker", CircuitBreakerState.Open, null), CancellationToken.None).Should().BeFalse();
    }

    [Fact]
    public void IsFailureException_HttpClientTimeout_True()
    {
        // HttpClient reports its own Timeout as a TaskCanceledException wrapping a TimeoutException.
        var clientTimeout = new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout.", new TimeoutException());

        HttpFailureClassifier.IsFailureException(clientTimeout, CancellationToken.None).Should().BeTrue();
    }

    [Fact]
    public void IsFailureException_CallerCancelled_False()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        HttpFailureClassifier.IsFailureException(new TaskCanceledException("caller", new TimeoutException(), cts.Token), cts.Token).Should().BeFalse();
        HttpFailureClassifier.IsFailureException(new OperationCanceledException(cts.Token), cts.Token).Should().BeFalse();
    }

    [Fact]
    public void IsFailureException_OtherCancellationOrProgrammingError_False()
    {
        HttpFailureClassifier.IsFailureException(new OperationCanceledException(), CancellationToken.None).Should().BeFalse();
        HttpFailureClassifier.IsFailureException(new InvalidOperationException(), CancellationToken.None).Should().BeFalse();
    }
}
