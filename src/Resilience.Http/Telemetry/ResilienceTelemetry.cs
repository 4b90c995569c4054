namespace Resilience.Http;

/// <summary>The names under which Resilience publishes metrics, logs and trace events.</summary>
/// <remarks>
/// <para><b>Metrics</b> (meter <see cref="MeterName"/>, OpenTelemetry naming, modelled on Resilience4j's Micrometer
/// set): <c>resilience.circuit_breaker.calls</c> (tag <c>outcome</c> = successful, failed, ignored, not_permitted),
/// <c>resilience.circuit_breaker.call.duration</c> (s), the gauges <c>resilience.circuit_breaker.state</c> (one
/// series per state, tag <c>state</c>, 1 for the current state and 0 for the others, as Resilience4j does),
/// <c>.failure_rate</c> and <c>.slow_call_rate</c> (%, -1 until the minimum number of calls is recorded) and
/// <c>.buffered_calls</c>; <c>resilience.retry.calls</c> (tag <c>kind</c> = successful_without_retry,
/// successful_with_retry, failed_without_retry, failed_with_retry; cancelled calls are not counted);
/// <c>resilience.bulkhead.available_concurrent_calls</c>, <c>.max_allowed_concurrent_calls</c> and
/// <c>.rejections</c>; <c>resilience.rate_limiter.available_permissions</c>, <c>.waiting_callers</c> and
/// <c>.rejections</c>; <c>resilience.time_limiter.timeouts</c>; and, for the registries listed in
/// <see cref="ResilienceTelemetryOptions.ThreadPoolBulkheadRegistries"/>,
/// <c>resilience.thread_pool_bulkhead.queue_depth</c>, <c>.queue_capacity</c> and <c>.thread_pool_size</c>. Every
/// series carries <see cref="InstanceTag"/>, and those of HTTP clients also <see cref="ClientTag"/>; a breaker per
/// authority adds <see cref="AuthorityTag"/> to its gauges.</para>
/// <para><b>Logs</b> (category <see cref="LoggerCategory"/>): a breaker that opens is a warning, one that closes or
/// moves to another state is information; each retry is information; refused calls (breaker, bulkhead, rate
/// limiter) and timeouts are debug, because under load they come once per request and the counters already count
/// them. A retry's message names the status code (1005) or the exception (1011) it retries. A rejected configuration
/// reload is an error in the category <c>Resilience.Configuration</c>, counted by
/// <c>resilience.configuration.reload.rejections</c> (see <c>LastGoodOptions</c>).</para>
/// <para><b>Traces</b>: retries, refusals and timeouts are events (<c>resilience.retry</c>,
/// <c>resilience.circuit_breaker.rejected</c>, <c>resilience.bulkhead.rejected</c>,
/// <c>resilience.rate_limiter.rejected</c>, <c>resilience.time_limiter.timeout</c>) on the current activity. With
/// <c>IHttpClientFactory</c> that is the caller's span (for example the incoming ASP.NET Core request), because
/// HttpClient starts its own span in the primary handler, inside the resilience handlers; each attempt then appears
/// as its own HttpClient span under it. When there is no current activity (a call outside any trace) and the
/// <see cref="ActivitySourceName"/> source is listened to, the event goes on a short span of that source, named after
/// the event, so that it is not lost.</para>
/// <para>With nothing listening, the per-request cost is a flag test per hook and no allocation.</para>
/// </remarks>
public static class ResilienceTelemetry
{
    /// <summary>The name of the meter: pass it to <c>AddMeter</c> to collect the metrics.</summary>
    public const string MeterName = "Resilience";

    /// <summary>The name of the activity source: pass it to <c>AddSource</c> to collect the events of calls made outside any trace.</summary>
    public const string ActivitySourceName = "Resilience";

    /// <summary>The category of the logs of the HTTP integration.</summary>
    public const string LoggerCategory = "Resilience.Http";

    /// <summary>The tag holding the name of the primitive's instance.</summary>
    public const string InstanceTag = "resilience.instance";

    /// <summary>The tag holding the name of the HTTP client.</summary>
    public const string ClientTag = "http.client.name";

    /// <summary>The tag holding the authority (scheme, host and port) of a per-authority breaker.</summary>
    public const string AuthorityTag = "resilience.authority";
}
