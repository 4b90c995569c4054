using System.Diagnostics.Metrics;
using Resilience.Http.Internal;

namespace Resilience.Http.Telemetry;

/// <summary>
/// The instruments of the Resilience meter. Counters are recorded by the hooks; gauges read the registry's slots and
/// the configured thread-pool bulkhead registries when a listener collects.
/// </summary>
internal sealed class ResilienceInstruments : IDisposable
{
    private static readonly CircuitBreakerState[] States = Enum.GetValues<CircuitBreakerState>();

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly IList<ThreadPoolBulkheadRegistry> _threadPoolRegistries;
    private HttpResilienceRegistry? _registry;

    public ResilienceInstruments(IMeterFactory? meterFactory, IList<ThreadPoolBulkheadRegistry>? threadPoolRegistries)
    {
        // A meter from the factory is disposed with the container; one made here is disposed with this object,
        // so that gauges of a disposed container stop reporting.
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(new MeterOptions(ResilienceTelemetry.MeterName)) ?? new Meter(ResilienceTelemetry.MeterName);
        _threadPoolRegistries = threadPoolRegistries ?? [];

        BreakerCalls = _meter.CreateCounter<long>("resilience.circuit_breaker.calls", "{call}", "Calls through a circuit breaker, by outcome.");
        BreakerCallDuration = _meter.CreateHistogram<double>("resilience.circuit_breaker.call.duration", "s", "Duration of the calls a circuit breaker recorded.");
        RetryCalls = _meter.CreateCounter<long>("resilience.retry.calls", "{call}", "Calls through a retry, by kind.");
        BulkheadRejections = _meter.CreateCounter<long>("resilience.bulkhead.rejections", "{call}", "Calls a bulkhead refused.");
        RateLimiterRejections = _meter.CreateCounter<long>("resilience.rate_limiter.rejections", "{call}", "Calls a rate limiter refused.");
        Timeouts = _meter.CreateCounter<long>("resilience.time_limiter.timeouts", "{call}", "Calls a time limiter cut short.");

        _meter.CreateObservableGauge("resilience.circuit_breaker.state", ObserveStates, "{state}", "1 for the current state of a circuit breaker, 0 for the others.");
        _meter.CreateObservableGauge("resilience.circuit_breaker.failure_rate", () => ObserveBreakers(static m => m.FailureRate), "%", "Failure rate of a circuit breaker; -1 until enough calls are recorded.");
        _meter.CreateObservableGauge("resilience.circuit_breaker.slow_call_rate", () => ObserveBreakers(static m => m.SlowCallRate), "%", "Slow-call rate of a circuit breaker; -1 until enough calls are recorded.");
        _meter.CreateObservableGauge("resilience.circuit_breaker.buffered_calls", () => ObserveBreakers(static m => (float)m.NumberOfBufferedCalls), "{call}", "Calls in the sliding window of a circuit breaker.");
        _meter.CreateObservableGauge("resilience.bulkhead.available_concurrent_calls", () => ObserveBulkheads(static m => m.AvailableConcurrentCalls), "{call}", "Free places in a bulkhead.");
        _meter.CreateObservableGauge("resilience.bulkhead.max_allowed_concurrent_calls", () => ObserveBulkheads(static m => m.MaxAllowedConcurrentCalls), "{call}", "Places in a bulkhead.");
        _meter.CreateObservableGauge("resilience.rate_limiter.available_permissions", () => ObserveRateLimiters(static m => m.AvailablePermissions), "{permission}", "Permissions left in the current cycle of a rate limiter.");
        _meter.CreateObservableGauge("resilience.rate_limiter.waiting_callers", () => ObserveRateLimiters(static m => m.NumberOfWaitingCallers), "{caller}", "Callers waiting for a permission of a rate limiter.");
        _meter.CreateObservableGauge("resilience.thread_pool_bulkhead.queue_depth", () => ObserveThreadPools(static m => m.QueueDepth), "{task}", "Tasks queued in a thread-pool bulkhead.");
        _meter.CreateObservableGauge("resilience.thread_pool_bulkhead.queue_capacity", () => ObserveThreadPools(static m => m.QueueCapacity), "{task}", "Queue capacity of a thread-pool bulkhead.");
        _meter.CreateObservableGauge("resilience.thread_pool_bulkhead.thread_pool_size", () => ObserveThreadPools(static m => m.ThreadPoolSize), "{thread}", "Threads of a thread-pool bulkhead.");
    }

    public Counter<long> BreakerCalls { get; }

    public Histogram<double> BreakerCallDuration { get; }

    public Counter<long> RetryCalls { get; }

    public Counter<long> BulkheadRejections { get; }

    public Counter<long> RateLimiterRejections { get; }

    public Counter<long> Timeouts { get; }

    /// <summary>Makes the gauges read the slots of <paramref name="registry"/>.</summary>
    public void Observe(HttpResilienceRegistry registry) => Volatile.Write(ref _registry, registry);

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    private IEnumerable<Measurement<int>> ObserveStates()
    {
        foreach (var (source, breaker) in Breakers())
        {
            CircuitBreakerState current = breaker.State;
            foreach (CircuitBreakerState state in States)
            {
                yield return new Measurement<int>(state == current ? 1 : 0, [.. BreakerTags(source, breaker), new("state", HttpResilienceTelemetry.StateName(state))]);
            }
        }
    }

    private IEnumerable<Measurement<float>> ObserveBreakers(Func<CircuitBreakerMetrics, float> read)
    {
        foreach (var (source, breaker) in Breakers())
        {
            yield return new Measurement<float>(read(breaker.GetMetrics()), BreakerTags(source, breaker));
        }
    }

    private IEnumerable<Measurement<int>> ObserveBulkheads(Func<BulkheadMetrics, int> read)
    {
        foreach (RegisteredSlot slot in Slots())
        {
            if (slot.Slot is ReloadableSlot<BulkheadOptions, BulkheadHolder> bulkheads)
            {
                yield return new Measurement<int>(read(bulkheads.Current.Bulkhead.GetMetrics()), slot.Source.Tags.Common);
            }
        }
    }

    private IEnumerable<Measurement<int>> ObserveRateLimiters(Func<RequestRateLimiterMetrics, int> read)
    {
        foreach (RegisteredSlot slot in Slots())
        {
            if (slot.Slot is ReloadableSlot<RequestRateLimiterOptions, RequestRateLimiter> limiters)
            {
                yield return new Measurement<int>(read(limiters.Current.GetMetrics()), slot.Source.Tags.Common);
            }
        }
    }

    private IEnumerable<Measurement<int>> ObserveThreadPools(Func<ThreadPoolBulkheadMetrics, int> read)
    {
        foreach (ThreadPoolBulkheadRegistry registry in _threadPoolRegistries)
        {
            foreach (ThreadPoolBulkhead bulkhead in registry.GetAll())
            {
                yield return new Measurement<int>(read(bulkhead.GetMetrics()), new KeyValuePair<string, object?>(ResilienceTelemetry.InstanceTag, bulkhead.Name));
            }
        }
    }

    private IEnumerable<RegisteredSlot> Slots() => Volatile.Read(ref _registry)?.Slots ?? [];

    private IEnumerable<(TelemetrySource Source, CircuitBreaker Breaker)> Breakers()
    {
        foreach (RegisteredSlot slot in Slots())
        {
            if (slot.Slot is ReloadableSlot<HttpCircuitBreakerOptions, BreakerSet> breakers)
            {
                foreach (CircuitBreaker breaker in breakers.Current.Breakers)
                {
                    yield return (slot.Source, breaker);
                }
            }
        }
    }

    /// <summary>The tags of a breaker: those of its source, and its authority when it is one of a per-authority set.</summary>
    internal static KeyValuePair<string, object?>[] BreakerTags(TelemetrySource source, CircuitBreaker breaker) =>
        Authority(source, breaker) is { } authority
            ? [.. source.Tags.Common, new(ResilienceTelemetry.AuthorityTag, authority)]
            : source.Tags.Common;

    /// <summary>
    /// The authority part of a per-authority breaker's name (its registry name, <c>{client}</c> or
    /// <c>{client}/{instance}</c>, then <c>/{scheme}://{host}:{port}</c>), or null.
    /// </summary>
    internal static string? Authority(TelemetrySource source, CircuitBreaker breaker)
    {
        string name = breaker.Name;
        int scheme = name.IndexOf("://", StringComparison.Ordinal);
        int slash = scheme > 0 ? name.LastIndexOf('/', scheme - 1) : -1;
        return slash >= source.ClientName.Length ? name[(slash + 1)..] : null;
    }
}
