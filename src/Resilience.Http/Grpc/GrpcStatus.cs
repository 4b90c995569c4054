using System.Globalization;
using System.Net.Http.Headers;

namespace Resilience.Http;

/// <summary>Reads the gRPC status that a response to a gRPC call carries in its headers.</summary>
/// <remarks>
/// <para>A gRPC call is an HTTP/2 POST whose content type is <c>application/grpc</c> (or <c>application/grpc+proto</c>
/// and the like). Its outcome is the <c>grpc-status</c> field, a code from 0 (OK) to 16 (UNAUTHENTICATED), and the
/// HTTP status is 200 either way. A call that fails before the server sends a message gets a <em>trailers-only</em>
/// response: <c>grpc-status</c> arrives in the response headers, so a handler sees it as soon as
/// <see cref="HttpClient"/> returns the response. This is what a unary call that fails looks like in practice, and what
/// Grpc.AspNetCore sends when a method throws an <c>RpcException</c> before writing its reply.</para>
/// <para>A status that arrives in real trailers, after a body (every successful call, and a streaming call that fails
/// after sending messages), is read by the gRPC client only once it has read the body to its end; a handler returns
/// before that and cannot see it. <see cref="TryGet"/> then returns <see langword="false"/>, as it does for a
/// response to any request that is not a gRPC call.</para>
/// <para>Used by the retry and circuit breaker handlers (<see cref="HttpRetryOptions.FailureGrpcStatusCodes"/>,
/// <see cref="HttpCircuitBreakerOptions.FailureGrpcStatusCodes"/>), and open to other handlers that classify
/// responses. It allocates nothing for a response to a request without content or with another content type.</para>
/// </remarks>
public static class GrpcStatus
{
    /// <summary>The name of the header that carries the status.</summary>
    private const string StatusHeader = "grpc-status";

    private const string GrpcMediaType = "application/grpc";

    /// <summary>The largest status code gRPC defines: 16, UNAUTHENTICATED.</summary>
    internal const int MaxCode = 16;

    /// <summary>
    /// Gets the gRPC status of <paramref name="response"/> when it answers a gRPC call (its request's content type is
    /// starts with <c>application/grpc</c>, as <c>application/grpc+proto</c> and gRPC-Web's <c>application/grpc-web</c> do) and carries <c>grpc-status</c> in its headers.
    /// </summary>
    /// <param name="response">The response, whose <see cref="HttpResponseMessage.RequestMessage"/> is the request sent.</param>
    /// <param name="statusCode">The status code, such as 14 for UNAVAILABLE; 0 when the method returns <see langword="false"/>.</param>
    /// <returns>
    /// <see langword="true"/> when the response carries a gRPC status in its headers (a trailers-only response);
    /// <see langword="false"/> for a response to a request that is not a gRPC call, and for a gRPC response whose
    /// status will come in the trailers, after the body.
    /// </returns>
    public static bool TryGet(HttpResponseMessage response, out int statusCode)
    {
        ArgumentNullException.ThrowIfNull(response);
        statusCode = 0;
        if (!IsGrpcRequest(response.RequestMessage))
        {
            return false;
        }

        if (!response.Headers.NonValidated.TryGetValues(StatusHeader, out HeaderStringValues values) || values.Count != 1)
        {
            return false;
        }

        foreach (string value in values)
        {
            if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int code))
            {
                statusCode = code;
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="request"/> is a gRPC call: its content type starts with <c>application/grpc</c> (gRPC and gRPC-Web, any subtype suffix).</summary>
    internal static bool IsGrpcRequest(HttpRequestMessage? request) =>
        request?.Content?.Headers.ContentType?.MediaType is { } mediaType
        && mediaType.StartsWith(GrpcMediaType, StringComparison.OrdinalIgnoreCase);
}
