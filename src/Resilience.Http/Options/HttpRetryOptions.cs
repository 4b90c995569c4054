namespace Resilience.Http;

/// <summary>
/// The settings of an HTTP retry: every setting of <see cref="RetryOptions"/>, with its Resilience4j default, plus
/// the rules of HTTP (which responses fail, which methods may be sent twice, and <c>Retry-After</c>).
/// </summary>
/// <remarks>
/// <para>An attempt is retried when its response is a failure (see <see cref="FailureStatusCodes"/>, and
/// <see cref="FailureGrpcStatusCodes"/> for gRPC calls) or when it
/// throws a failure exception. Unless <see cref="RetryOptions.RetryExceptionPredicate"/> or
/// <see cref="RetryOptions.RetryExceptions"/> is set, the failure exceptions are <see cref="HttpRequestException"/>,
/// <see cref="TimeoutException"/>, a time limiter's <see cref="TimeLimiterTimeoutException"/> and <see cref="HttpClient"/>'s own timeout; the caller's
/// cancellation is never retried, and neither is a certificate rejected at the TLS handshake (an
/// <see cref="HttpRequestException"/> with <see cref="HttpRequestError.SecureConnectionError"/> caused by an
/// <see cref="System.Security.Authentication.AuthenticationException"/>), which a circuit breaker still records as a
/// failure.</para>
/// <para>A request is sent again only when its method is idempotent (see <see cref="RetryNonIdempotentMethods"/>;
/// a gRPC call failed by a status of <see cref="FailureGrpcStatusCodes"/> is the exception) and its content can be
/// replayed: no content, or content that serializes from memory again on every send
/// (<see cref="ByteArrayContent"/> and its subclasses, <see cref="ReadOnlyMemoryContent"/>, <c>JsonContent</c>, the request of
/// a unary or server-streaming call of Grpc.Net.Client, and <see cref="MultipartContent"/> made only of these). A <see cref="StreamContent"/> is not retried, because a
/// half-read stream would be sent from the middle; a log line says so.</para>
/// <para>These rules become the options of a Core <see cref="Retry"/> (its result predicate, exception predicate and
/// interval function, which sees the request as <see cref="RetryIntervalArguments.State"/>), so the call runs in the
/// retry's own loop with its metrics and events. An <see cref="RetryOptions.IntervalFunction"/> set here is asked
/// when a response carries no usable <c>Retry-After</c>. A retried response is always disposed before the next
/// attempt, after <see cref="RetryOptions.ConsumeResultBeforeRetryAttempt"/> if one is set; with
/// <see cref="RetryOptions.FailAfterMaxAttempts"/>, a last failed response is disposed and
/// <see cref="MaxRetriesExceededException"/> thrown instead of returning it.</para>
/// </remarks>
public class HttpRetryOptions : RetryOptions
{
    /// <summary>Gets or sets whether POST, PATCH and other non-idempotent methods are retried too.</summary>
    /// <value>
    /// The default value is <see langword="false"/>: only GET, HEAD, OPTIONS, TRACE, PUT and DELETE are retried
    /// (RFC 9110 §9.2.2). Retrying a POST may perform its side effect twice.
    /// </value>
    public bool RetryNonIdempotentMethods { get; set; }

    /// <summary>Gets or sets whether a <c>Retry-After</c> header on a failed response chooses the wait before the next attempt.</summary>
    /// <value>The default value is <see langword="true"/>. Both delta-seconds and HTTP-date are understood.</value>
    /// <remarks>
    /// The hint replaces the backoff for that retry. It is shortened to <see cref="MaxRetryAfterDelay"/>. When the
    /// wait would end after the total time limit of the standard composition, the retry stops and the last response
    /// is returned as it is, so the caller sees the server's answer and its hint.
    /// </remarks>
    public bool UseRetryAfterHeader { get; set; } = true;

    /// <summary>Gets or sets the longest wait a <c>Retry-After</c> hint may cause.</summary>
    /// <value>The default value is 30 seconds. Valid values are zero to about 49.7 days.</value>
    public TimeSpan MaxRetryAfterDelay { get; set; } = HttpResilienceConstants.DefaultMaxRetryAfterDelay;

    /// <summary>Gets or sets the response status codes that are failures.</summary>
    /// <value>
    /// The default value is <see langword="null"/>: 500–599, 408 (Request Timeout) and 429 (Too Many Requests). Valid
    /// codes are 100–599.
    /// </value>
    /// <remarks>Ignored when <see cref="FailureResponsePredicate"/> is set.</remarks>
    public IList<int>? FailureStatusCodes { get; set; }

    /// <summary>Gets or sets the gRPC status codes that are retried, read from the headers of a trailers-only response to a gRPC call.</summary>
    /// <value>
    /// The default value is <see langword="null"/>: CANCELLED (1) and UNAVAILABLE (14), the gRPC codes of Istio's
    /// default <c>retryOn</c>. Valid codes are 1–16.
    /// </value>
    /// <remarks>
    /// <para>A gRPC call answers HTTP 200 with its status in <c>grpc-status</c> (see <see cref="GrpcStatus"/>). A
    /// status in this list is retried like a failure status code, and regardless of
    /// <see cref="RetryNonIdempotentMethods"/>: every gRPC call is a POST, and as in gRPC's own retry policy
    /// (<c>retryableStatusCodes</c>) the status code is what says a call may be sent again. The request of a unary or
    /// server-streaming call of Grpc.Net.Client is replayed whole; a client-streaming or duplex call is not retried.</para>
    /// <para>DEADLINE_EXCEEDED (4) is not retried by default, because the call's deadline has passed; nor is
    /// RESOURCE_EXHAUSTED (8), which may be a quota or a message too large rather than a passing overload. Add them
    /// here to retry them. A status that arrives in trailers, after a body, cannot be seen. Ignored when
    /// <see cref="FailureResponsePredicate"/> is set.</para>
    /// </remarks>
    public IList<int>? FailureGrpcStatusCodes { get; set; }

    /// <summary>Gets or sets a predicate that decides whether a response is a failure, in place of <see cref="FailureStatusCodes"/> and <see cref="FailureGrpcStatusCodes"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public Func<HttpResponseMessage, bool>? FailureResponsePredicate { get; set; }

    /// <summary>Returns a deep copy.</summary>
    internal HttpRetryOptions CloneHttp()
    {
        var copy = (HttpRetryOptions)Clone();
        copy.FailureStatusCodes = FailureStatusCodes is null ? null : [.. FailureStatusCodes];
        copy.FailureGrpcStatusCodes = FailureGrpcStatusCodes is null ? null : [.. FailureGrpcStatusCodes];
        return copy;
    }
}
