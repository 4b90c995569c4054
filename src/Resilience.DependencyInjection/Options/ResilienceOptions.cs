namespace Resilience.DependencyInjection;

/// <summary>
/// The registries that <c>AddResilience</c> registers, one per primitive, as configuration or code sets them up:
/// named configurations and the instances created when the registry is built.
/// </summary>
/// <remarks>
/// <c>AddResilience(configuration)</c> fills these from the Resilience4j-shaped configuration; <c>AddResilience(configure)</c>
/// lets code set them, after any configuration. Read them through <c>IOptionsMonitor&lt;ResilienceOptions&gt;</c>; use the
/// registries themselves (<see cref="CircuitBreakerRegistry"/> and the others, singletons) to get instances.
/// </remarks>
/// <example>
/// <code>
/// services.AddResilience(o =>
/// {
///     o.CircuitBreaker.Configs["default"] = new CircuitBreakerOptions { SlidingWindowSize = 50 };
///     o.CircuitBreaker.Instances["payments"] = new CircuitBreakerOptions { FailureRateThreshold = 25 };
/// });
/// </code>
/// </example>
public sealed class ResilienceOptions
{
    /// <summary>Gets the circuit breakers, the <c>CircuitBreaker</c> section.</summary>
    public ResilienceRegistryOptions<CircuitBreakerOptions> CircuitBreaker { get; } = new();

    /// <summary>Gets the retries, the <c>Retry</c> section.</summary>
    public ResilienceRegistryOptions<RetryOptions> Retry { get; } = new();

    /// <summary>Gets the time limiters, the <c>TimeLimiter</c> section.</summary>
    public ResilienceRegistryOptions<TimeLimiterOptions> TimeLimiter { get; } = new();

    /// <summary>Gets the semaphore bulkheads, the <c>Bulkhead</c> section.</summary>
    public ResilienceRegistryOptions<BulkheadOptions> Bulkhead { get; } = new();

    /// <summary>Gets the thread-pool bulkheads, the <c>ThreadPoolBulkhead</c> section.</summary>
    public ResilienceRegistryOptions<ThreadPoolBulkheadOptions> ThreadPoolBulkhead { get; } = new();

    /// <summary>Gets the rate limiters, the <c>RateLimiter</c> section.</summary>
    public ResilienceRegistryOptions<RequestRateLimiterOptions> RateLimiter { get; } = new();
}

/// <summary>The named configurations and the instances of one primitive's registry.</summary>
/// <typeparam name="TOptions">The primitive's options.</typeparam>
/// <remarks>Names are compared without regard to case, as configuration keys are.</remarks>
public sealed class ResilienceRegistryOptions<TOptions>
    where TOptions : class
{
    /// <summary>
    /// Gets the named configurations, added to the registry (<c>GetOrCreate(name, configurationName)</c> reads them).
    /// The one named <c>default</c> is the registry's default options: what an instance that no entry of
    /// <see cref="Instances"/> names is created with.
    /// </summary>
    public IDictionary<string, TOptions> Configs { get; } = new Dictionary<string, TOptions>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Gets the instances, created with these options when the registry is built, so that <c>GetOrCreate(name)</c> and
    /// <c>TryGet(name)</c> find them. From configuration, each is its <c>BaseConfig</c> (or <c>default</c>) overridden by
    /// its own settings.
    /// </summary>
    public IDictionary<string, TOptions> Instances { get; } = new Dictionary<string, TOptions>(StringComparer.OrdinalIgnoreCase);
}
