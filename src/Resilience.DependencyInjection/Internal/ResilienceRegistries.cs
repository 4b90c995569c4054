using Microsoft.Extensions.Options;

namespace Resilience.DependencyInjection;

/// <summary>
/// The registries of <c>AddResilience</c>, one per primitive, built from the last good <see cref="ResilienceOptions"/>
/// with the container's <see cref="TimeProvider"/>, and kept in line with them on every valid reload.
/// </summary>
/// <remarks>
/// A reload that fails validation never reaches here: <see cref="LastGoodOptions.Follow{TOptions}"/> logs and counts it
/// and notifies no one, so the registries keep the last good options.
/// </remarks>
internal sealed class ResilienceRegistries : IDisposable
{
    private readonly RegistryBinder<CircuitBreaker, CircuitBreakerOptions> _circuitBreakers;
    private readonly RegistryBinder<Retry, RetryOptions> _retries;
    private readonly RegistryBinder<TimeLimiter, TimeLimiterOptions> _timeLimiters;
    private readonly RegistryBinder<Bulkhead, BulkheadOptions> _bulkheads;
    private readonly RegistryBinder<ThreadPoolBulkhead, ThreadPoolBulkheadOptions> _threadPoolBulkheads;
    private readonly RegistryBinder<RequestRateLimiter, RequestRateLimiterOptions> _rateLimiters;
    private readonly IDisposable? _subscription;

    public ResilienceRegistries(LastGoodOptions lastGood, TimeProvider? timeProvider, ClaimSet claims)
    {
        TimeProvider time = timeProvider ?? TimeProvider.System;
        LastGoodOptionsMonitor<ResilienceOptions> followed = lastGood.Follow<ResilienceOptions>(Options.DefaultName);
        ResilienceOptions options = followed.CurrentValue;
        CircuitBreakers = new CircuitBreakerRegistry(DefaultOf(options.CircuitBreaker), time);
        Retries = new RetryRegistry(DefaultOf(options.Retry), time);
        TimeLimiters = new TimeLimiterRegistry(DefaultOf(options.TimeLimiter), time);
        Bulkheads = new BulkheadRegistry(DefaultOf(options.Bulkhead), time);
        ThreadPoolBulkheads = new ThreadPoolBulkheadRegistry(DefaultOf(options.ThreadPoolBulkhead), time);
        RateLimiters = new RequestRateLimiterRegistry(DefaultOf(options.RateLimiter), time);

        _circuitBreakers = new(CircuitBreakers, ResilienceConfiguration.CircuitBreaker, claims, (previous, previousOptions, name, o) =>
        {
            var next = new CircuitBreaker(name, o, time);
            if (previous is not null && previousOptions is not null)
            {
                ResilienceReload.CarryState(previous, previousOptions, next, o);
            }

            return next;
        });
        _retries = new(Retries, ResilienceConfiguration.Retry, claims, (_, _, name, o) => new Retry(name, o, time));
        _timeLimiters = new(TimeLimiters, ResilienceConfiguration.TimeLimiter, claims, (previous, _, name, o) => ResilienceReload.Rebuild(previous, name, o, time));
        _bulkheads = new(Bulkheads, ResilienceConfiguration.Bulkhead, claims, (previous, previousOptions, name, o) => ResilienceReload.Rebuild(previous, previousOptions, name, o, time));

        // A thread-pool bulkhead keeps the options it was created with: replacing it would cancel the tasks it queued.
        _threadPoolBulkheads = new(ThreadPoolBulkheads, ResilienceConfiguration.ThreadPoolBulkhead, claims, (previous, _, name, o) => previous ?? new ThreadPoolBulkhead(name, o, time));
        _rateLimiters = new(RateLimiters, ResilienceConfiguration.RateLimiter, claims, (previous, _, name, o) => ResilienceReload.Rebuild(previous, name, o, time));

        Apply(options);
        _subscription = followed.OnChange(Apply);
    }

    public CircuitBreakerRegistry CircuitBreakers { get; }

    public RetryRegistry Retries { get; }

    public TimeLimiterRegistry TimeLimiters { get; }

    public BulkheadRegistry Bulkheads { get; }

    public ThreadPoolBulkheadRegistry ThreadPoolBulkheads { get; }

    public RequestRateLimiterRegistry RateLimiters { get; }

    public void Dispose()
    {
        _subscription?.Dispose();
        ThreadPoolBulkheads.Dispose();
    }

    private static TOptions? DefaultOf<TOptions>(ResilienceRegistryOptions<TOptions> options)
        where TOptions : class =>
        options.Configs.TryGetValue(ResilienceConfiguration.DefaultConfig, out TOptions? defaults) ? defaults : null;

    private void Apply(ResilienceOptions options)
    {
        _circuitBreakers.Apply(options.CircuitBreaker);
        _retries.Apply(options.Retry);
        _timeLimiters.Apply(options.TimeLimiter);
        _bulkheads.Apply(options.Bulkhead);
        _threadPoolBulkheads.Apply(options.ThreadPoolBulkhead);
        _rateLimiters.Apply(options.RateLimiter);
    }
}
