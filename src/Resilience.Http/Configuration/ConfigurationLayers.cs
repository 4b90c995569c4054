using Resilience.DependencyInjection;

namespace Resilience.Http.Configuration;

/// <summary>The configuration sections each registration reads, with the validation of each.</summary>
internal static class ConfigurationLayers
{
    public static ResilienceConfigurationLayer<HttpCircuitBreakerOptions>[] CircuitBreaker(string instanceName) =>
        [new(ResilienceConfiguration.CircuitBreaker, instanceName, HttpConfiguration.CircuitBreakerSettings, HttpResilienceOptionsValidation.Validate)];

    public static ResilienceConfigurationLayer<HttpRetryOptions>[] Retry(string instanceName) =>
        [new(ResilienceConfiguration.Retry, instanceName, HttpConfiguration.RetrySettings, HttpResilienceOptionsValidation.Validate)];

    public static ResilienceConfigurationLayer<TimeLimiterOptions>[] TimeLimiter(string instanceName) =>
        [new(ResilienceConfiguration.TimeLimiter, instanceName, HttpConfiguration.TimeLimiterSettings, static o => o.Validate())];

    public static ResilienceConfigurationLayer<BulkheadOptions>[] Bulkhead(string instanceName) =>
        [new(ResilienceConfiguration.Bulkhead, instanceName, HttpConfiguration.BulkheadSettings, static o => o.Validate())];

    public static ResilienceConfigurationLayer<RequestRateLimiterOptions>[] RateLimiter(string instanceName) =>
        [new(ResilienceConfiguration.RateLimiter, instanceName, HttpConfiguration.RateLimiterSettings, static o => o.Validate())];

    /// <summary>The layers of the standard composition of <paramref name="clientName"/>, outermost first, as <see cref="HttpConfiguration.BindComposite"/> reads them.</summary>
    public static ResilienceConfigurationLayer<HttpResilienceOptions>[] Composite(string clientName) =>
    [
        new(ResilienceConfiguration.RateLimiter, clientName, HttpConfiguration.RateLimiterSettings, static o => Run(o.RateLimiter, static layer => layer.Validate()), onlyWhenPresent: true),
        new(ResilienceConfiguration.TimeLimiter, clientName + HttpResilienceConstants.TotalTimeLimiterSuffix, HttpConfiguration.TimeLimiterSettings, static o => Run(o.TotalTimeLimiter, static layer => layer.Validate())),
        new(ResilienceConfiguration.Retry, clientName, HttpConfiguration.RetrySettings, static o => Run(o.Retry, HttpResilienceOptionsValidation.Validate)),
        new(ResilienceConfiguration.CircuitBreaker, clientName, HttpConfiguration.CircuitBreakerSettings, static o => Run(o.CircuitBreaker, HttpResilienceOptionsValidation.Validate)),
        new(ResilienceConfiguration.Bulkhead, clientName, HttpConfiguration.BulkheadSettings, static o => Run(o.Bulkhead, static layer => layer.Validate()), onlyWhenPresent: true),
        new(ResilienceConfiguration.TimeLimiter, clientName, HttpConfiguration.TimeLimiterSettings, static o => Run(o.AttemptTimeLimiter, static layer => layer.Validate())),
    ];

    /// <summary>The instances of the configuration a registration reads, which <c>AddResilience</c> leaves to it.</summary>
    public static IEnumerable<ResilienceConfigurationClaim> ClaimsOf<TOptions>(IEnumerable<ResilienceConfigurationLayer<TOptions>> layers)
        where TOptions : class =>
        layers.Select(static layer => new ResilienceConfigurationClaim(layer.Primitive, layer.InstanceName));

    private static void Run<T>(T? layer, Action<T> validate)
        where T : class
    {
        if (layer is not null)
        {
            validate(layer);
        }
    }
}
