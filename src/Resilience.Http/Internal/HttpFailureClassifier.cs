using System.Net;
using System.Security.Authentication;

namespace Resilience.Http.Internal;

/// <summary>What counts as a failure of the remote dependency, for the breaker and for retry.</summary>
/// <remarks>
/// A response is a failure when its status is 5xx, 408 (Request Timeout) or 429 (Too Many Requests): the server, or
/// something in front of it, could not serve the request now. Other 4xx responses are the caller's mistake and say
/// nothing about the dependency's health. An exception is a failure when it is an <see cref="HttpRequestException"/>
/// (connection refused, reset, DNS), a time limiter's <see cref="TimeLimiterTimeoutException"/> (recognised by type: it
/// is not a <see cref="TimeoutException"/>), a <see cref="TimeoutException"/>, or <see cref="HttpClient"/>'s own
/// timeout (a <see cref="TaskCanceledException"/> wrapping a <see cref="TimeoutException"/>). A cancellation caused by
/// the caller's token is never a failure, and neither is a rejection by another layer (a full bulkhead, say). A
/// trailers-only response to a gRPC call (HTTP 200) is also classified by its <c>grpc-status</c>, with a list of
/// codes per option (see <see cref="HttpFailureRule"/> and <see cref="GrpcStatus"/>).
/// <para>Retry asks a narrower question (<see cref="IsTransientException"/>): a TLS handshake whose certificate was
/// rejected (an <see cref="HttpRequestException"/> with <see cref="HttpRequestError.SecureConnectionError"/> caused by an
/// <see cref="AuthenticationException"/>, such as a server presenting an untrusted certificate or the wrong workload
/// identity) fails the same way on every attempt, so it is a failure for the breaker but is not retried.</para>
/// </remarks>
internal static class HttpFailureClassifier
{
    /// <summary>Whether <paramref name="statusCode"/> is 5xx, 408 or 429.</summary>
    public static bool IsFailureStatusCode(HttpStatusCode statusCode)
    {
        int code = (int)statusCode;
        return code is (>= 500 and <= 599) or 408 or 429;
    }

    /// <summary>Whether <paramref name="exception"/> is a failure of the dependency rather than the caller giving up.</summary>
    /// <param name="exception">The exception the call ended with.</param>
    /// <param name="callerToken">The caller's token; a cancellation it caused is not a failure.</param>
    public static bool IsFailureException(Exception exception, CancellationToken callerToken)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is OperationCanceledException && callerToken.IsCancellationRequested)
        {
            return false;
        }

        return exception switch
        {
            HttpRequestException => true,
            TimeLimiterTimeoutException => true,
            TimeoutException => true,
            OperationCanceledException { InnerException: TimeoutException } => true,
            _ => false,
        };
    }

    /// <summary>
    /// Whether <paramref name="exception"/> is a failure that another attempt may not meet: a failure
    /// (<see cref="IsFailureException"/>) other than a rejected certificate at the TLS handshake.
    /// </summary>
    /// <param name="exception">The exception the attempt ended with.</param>
    /// <param name="callerToken">The caller's token; a cancellation it caused is not a failure.</param>
    public static bool IsTransientException(Exception exception, CancellationToken callerToken) =>
        IsFailureException(exception, callerToken) && !IsAuthenticationFailure(exception);

    private static bool IsAuthenticationFailure(Exception exception) =>
        exception is HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError, InnerException: AuthenticationException };
}
