namespace Resilience.Http.Internal;

/// <summary>
/// Which responses are failures for one breaker or retry: a predicate, or a set of HTTP status codes (5xx, 408 and
/// 429 by default) together with a set of gRPC status codes for trailers-only responses to gRPC calls.
/// </summary>
/// <remarks>
/// The HTTP status is tested first; a response that passes it is tested by its gRPC status only when it answers a
/// gRPC call (see <see cref="GrpcStatus.TryGet"/>), which costs a null check for a request without content and a
/// string comparison of its content type otherwise, with no allocation.
/// </remarks>
internal sealed class HttpFailureRule
{
    private const int StatusCodeLimit = 600;

    private readonly bool[]? _codes;
    private readonly bool[] _grpcCodes;
    private readonly Func<HttpResponseMessage, bool>? _predicate;

    private HttpFailureRule(bool[]? codes, bool[] grpcCodes, Func<HttpResponseMessage, bool>? predicate)
    {
        _codes = codes;
        _grpcCodes = grpcCodes;
        _predicate = predicate;
    }

    /// <summary>Compiles the rule; codes out of range are rejected by option validation before this runs, and ignored here.</summary>
    /// <param name="statusCodes">The HTTP status codes that fail, or <see langword="null"/> for 5xx, 408 and 429.</param>
    /// <param name="grpcStatusCodes">The gRPC status codes that fail, or <see langword="null"/> for <paramref name="defaultGrpcStatusCodes"/>.</param>
    /// <param name="defaultGrpcStatusCodes">The gRPC status codes of the option's default.</param>
    /// <param name="predicate">A predicate that replaces both sets.</param>
    public static HttpFailureRule Create(IList<int>? statusCodes, IList<int>? grpcStatusCodes, ReadOnlySpan<int> defaultGrpcStatusCodes, Func<HttpResponseMessage, bool>? predicate)
    {
        bool[]? codes = null;
        if (predicate is null && statusCodes is not null)
        {
            codes = new bool[StatusCodeLimit];
            foreach (int code in statusCodes)
            {
                if ((uint)code < StatusCodeLimit)
                {
                    codes[code] = true;
                }
            }
        }

        var grpcCodes = new bool[GrpcStatus.MaxCode + 1];
        if (grpcStatusCodes is null)
        {
            foreach (int code in defaultGrpcStatusCodes)
            {
                grpcCodes[code] = true;
            }
        }
        else
        {
            foreach (int code in grpcStatusCodes)
            {
                if ((uint)code < (uint)grpcCodes.Length)
                {
                    grpcCodes[code] = true;
                }
            }
        }

        return new HttpFailureRule(codes, grpcCodes, predicate);
    }

    /// <summary>Whether <paramref name="response"/> is a failure.</summary>
    public bool IsFailure(HttpResponseMessage response)
    {
        if (_predicate is not null)
        {
            return _predicate(response);
        }

        int code = (int)response.StatusCode;
        bool httpFailure = _codes is null ? HttpFailureClassifier.IsFailureStatusCode(response.StatusCode) : (uint)code < StatusCodeLimit && _codes[code];
        return httpFailure || IsGrpcFailure(response);
    }

    /// <summary>Whether <paramref name="response"/> is a failure by its gRPC status (in its headers), and the rule has no predicate.</summary>
    public bool IsGrpcFailure(HttpResponseMessage response) =>
        _predicate is null && GrpcStatus.TryGet(response, out int grpcCode) && (uint)grpcCode < (uint)_grpcCodes.Length && _grpcCodes[grpcCode];
}
