namespace Resilience.Http;

/// <summary>
/// The settings of an HTTP circuit breaker: every setting of <see cref="CircuitBreakerOptions"/>, with its
/// Resilience4j default, plus which responses fail and whether each authority gets a breaker of its own.
/// </summary>
/// <remarks>
/// A response is a failure when <see cref="FailureStatusCodes"/> or, for a gRPC call,
/// <see cref="FailureGrpcStatusCodes"/> (or <see cref="FailureResponsePredicate"/> in place of both) says so,
/// or when <see cref="CircuitBreakerOptions.RecordResultPredicate"/>, if set, matches it. Unless
/// <see cref="CircuitBreakerOptions.RecordExceptionPredicate"/> or <see cref="CircuitBreakerOptions.RecordExceptions"/>
/// is set, the recorded exceptions are <see cref="HttpRequestException"/>, <see cref="TimeoutException"/>, a time
/// limiter's <see cref="TimeLimiterTimeoutException"/> (recognised by type) and <see cref="HttpClient"/>'s own
/// timeout; the rejections of the other layers (<see cref="CircuitBreakerOptions.IgnoreExceptions"/>) are ignored, and
/// any other exception counts as a success. The caller's cancellation is never recorded: the permit is given back.
/// </remarks>
public class HttpCircuitBreakerOptions : CircuitBreakerOptions
{
    /// <summary>Gets or sets the response status codes that are failures.</summary>
    /// <value>
    /// The default value is <see langword="null"/>: 500–599, 408 (Request Timeout) and 429 (Too Many Requests). Valid
    /// codes are 100–599.
    /// </value>
    /// <remarks>Ignored when <see cref="FailureResponsePredicate"/> is set.</remarks>
    public IList<int>? FailureStatusCodes { get; set; }

    /// <summary>Gets or sets the gRPC status codes that are failures, read from the headers of a trailers-only response to a gRPC call.</summary>
    /// <value>
    /// The default value is <see langword="null"/>: UNKNOWN (2), DEADLINE_EXCEEDED (4), RESOURCE_EXHAUSTED (8),
    /// INTERNAL (13), UNAVAILABLE (14) and DATA_LOSS (15), the codes that stand for 5xx, 504 and 429. Valid codes are
    /// 1–16.
    /// </value>
    /// <remarks>
    /// A gRPC call answers HTTP 200 with its status in <c>grpc-status</c> (see <see cref="GrpcStatus"/>). OK and the
    /// application's own errors (INVALID_ARGUMENT, NOT_FOUND, PERMISSION_DENIED, …) are not failures, nor is
    /// UNIMPLEMENTED, a missing method. A status that arrives in trailers, after a body, cannot be seen: the call
    /// counts as a success. Ignored when <see cref="FailureResponsePredicate"/> is set.
    /// </remarks>
    public IList<int>? FailureGrpcStatusCodes { get; set; }

    /// <summary>Gets or sets a predicate that decides whether a response is a failure, in place of <see cref="FailureStatusCodes"/> and <see cref="FailureGrpcStatusCodes"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public Func<HttpResponseMessage, bool>? FailureResponsePredicate { get; set; }

    /// <summary>Gets or sets whether each authority (scheme, host and port) the client calls gets a breaker of its own.</summary>
    /// <value>
    /// The default value is <see langword="false"/>: one breaker for the client, as in Resilience4j. With
    /// <see langword="true"/>, one failing host cannot open the breaker of the others.
    /// </value>
    /// <remarks>Per-authority breakers are named <c>{instance}/{scheme}://{host}:{port}</c> in events, metrics and health reports.</remarks>
    public bool PerAuthority { get; set; }

    /// <summary>Gets or sets how long a per-authority breaker may go without calls before it is evicted.</summary>
    /// <value>The default value is 10 minutes. Valid values are 1 second to about 49.7 days.</value>
    /// <remarks>
    /// An evicted authority starts again with a new, closed breaker. Keep this longer than
    /// <see cref="CircuitBreakerOptions.WaitDurationInOpenState"/>, so that an open breaker is not forgotten before its
    /// wait is over.
    /// </remarks>
    public TimeSpan AuthorityIdleTimeout { get; set; } = HttpResilienceConstants.DefaultAuthorityIdleTimeout;

    /// <summary>Returns a deep copy.</summary>
    internal HttpCircuitBreakerOptions CloneHttp()
    {
        var copy = (HttpCircuitBreakerOptions)Clone();
        copy.FailureStatusCodes = FailureStatusCodes is null ? null : [.. FailureStatusCodes];
        copy.FailureGrpcStatusCodes = FailureGrpcStatusCodes is null ? null : [.. FailureGrpcStatusCodes];
        return copy;
    }
}
