namespace Resilience.Http;

/// <summary>
/// The settings of the standard composition, outermost layer first: rate limiter, total time limit, retry, circuit
/// breaker, bulkhead, per-attempt time limit.
/// </summary>
/// <remarks>
/// <para><b>Why this order.</b> The rate limiter is outermost, so a refused request costs nothing and is never
/// retried. The total time limit bounds everything the caller waits for, retries and their waits included. Retry
/// sits outside the breaker, so each attempt asks the breaker: an attempt refused by an open breaker is not sent
/// (and is not retried, because <see cref="CallNotPermittedException"/> is not a failure exception). The bulkhead is
/// inside the breaker, so a call the breaker refuses takes no concurrency permit. The per-attempt time limit is
/// innermost, so a slow attempt is cut short, counted by the breaker as a failure, and retried.</para>
/// <para><b>Timeouts.</b> When the total time limit is on, the client's <see cref="HttpClient.Timeout"/> is set to
/// <see cref="Timeout.InfiniteTimeSpan"/>, so that its 100-second default cannot cut the composition short with a
/// different exception. With the total limit off (<see cref="Timeout.InfiniteTimeSpan"/>), <see cref="HttpClient.Timeout"/>
/// is left alone and still bounds the whole call. The total limit also bounds reading the response body, whether
/// <see cref="HttpClient"/> buffers it or the caller reads its stream; a body with a <c>Content-Length</c> of at most
/// 1 MiB is buffered inside each attempt, so that a body that breaks or stalls there is a failure of the attempt
/// (recorded by the breaker, retried where the method allows it, bounded by the per-attempt limit). See
/// docs/http-time-limits.md.</para>
/// <para>Layers set to <see langword="null"/> are left out. The rate limiter and the bulkhead are off unless set.</para>
/// </remarks>
public sealed class HttpResilienceOptions
{
    /// <summary>Gets or sets the rate limiter, the outermost layer.</summary>
    /// <value>The default value is <see langword="null"/>: no rate limiter.</value>
    public RequestRateLimiterOptions? RateLimiter { get; set; }

    /// <summary>Gets or sets the time limit of the whole call, retries and their waits included.</summary>
    /// <value>The default value is a limit of 30 seconds (Resilience4j's 1 second suits a single in-process call, not an HTTP exchange with retries).</value>
    public TimeLimiterOptions? TotalTimeLimiter { get; set; } = new() { TimeoutDuration = HttpResilienceConstants.DefaultTotalTimeout };

    /// <summary>Gets or sets the retry.</summary>
    /// <value>The default value has Resilience4j's defaults: 3 attempts, 500 ms apart.</value>
    public HttpRetryOptions? Retry { get; set; } = new();

    /// <summary>Gets or sets the circuit breaker.</summary>
    /// <value>The default value has Resilience4j's defaults: 50 % failures over the last 100 calls, 60 seconds open.</value>
    public HttpCircuitBreakerOptions? CircuitBreaker { get; set; } = new();

    /// <summary>Gets or sets the bulkhead, which bounds the number of requests in flight.</summary>
    /// <value>The default value is <see langword="null"/>: no bulkhead.</value>
    public BulkheadOptions? Bulkhead { get; set; }

    /// <summary>Gets or sets the time limit of each attempt.</summary>
    /// <value>The default value is a limit of 10 seconds.</value>
    public TimeLimiterOptions? AttemptTimeLimiter { get; set; } = new() { TimeoutDuration = HttpResilienceConstants.DefaultAttemptTimeout };
}
