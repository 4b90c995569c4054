namespace Resilience.Http.Configuration;

/// <summary>The configuration sections each registration reads, with the validation of each.</summary>
internal static class ConfigurationLayers
{
    public static ConfigurationLayer<HttpCircuitBreakerOptions>[] CircuitBreaker(string instanceName) =>
        [new(ResilienceConfiguration.CircuitBreaker, instanceName, ConfigurationSettings.CircuitBreaker, false, HttpResilienceOptionsValidation.Validate)];

    public static ConfigurationLayer<HttpRetryOptions>[] Retry(string instanceName) =>
        [new(ResilienceConfiguration.Retry, instanceName, ConfigurationSettings.Retry, false, HttpResilienceOptionsValidation.Validate)];

    public static ConfigurationLayer<TimeLimiterOptions>[] TimeLimiter(string instanceName) =>
        [new(ResilienceConfiguration.TimeLimiter, instanceName, ConfigurationSettings.TimeLimiter, false, TimeLimiterOptionsValidator.Validate)];

    public static ConfigurationLayer<BulkheadOptions>[] Bulkhead(string instanceName) =>
        [new(ResilienceConfiguration.Bulkhead, instanceName, ConfigurationSettings.Bulkhead, false, BulkheadOptionsValidator.Validate)];

    public static ConfigurationLayer<RequestRateLimiterOptions>[] RateLimiter(string instanceName) =>
        [new(ResilienceConfiguration.RateLimiter, instanceName, ConfigurationSettings.RateLimiter, false, RequestRateLimiterOptionsValidator.Validate)];

    public static ConfigurationLayer<ThreadPoolBulkheadOptions>[] ThreadPoolBulkhead(string instanceName) =>
        [new(ResilienceConfiguration.ThreadPoolBulkhead, instanceName, ConfigurationSettings.ThreadPoolBulkhead, false, ThreadPoolBulkheadOptionsValidator.Validate)];

    /// <summary>The layers of the standard composition of <paramref name="clientName"/>, outermost first, as <see cref="ResilienceConfiguration.BindComposite"/> reads them.</summary>
    public static ConfigurationLayer<HttpResilienceOptions>[] Composite(string clientName) =>
    [
        new(ResilienceConfiguration.RateLimiter, clientName, ConfigurationSettings.RateLimiter, true, static o => Run(o.RateLimiter, RequestRateLimiterOptionsValidator.Validate)),
        new(ResilienceConfiguration.TimeLimiter, clientName + HttpResilienceConstants.TotalTimeLimiterSuffix, ConfigurationSettings.TimeLimiter, false, static o => Run(o.TotalTimeLimiter, TimeLimiterOptionsValidator.Validate)),
        new(ResilienceConfiguration.Retry, clientName, ConfigurationSettings.Retry, false, static o => Run(o.Retry, HttpResilienceOptionsValidation.Validate)),
        new(ResilienceConfiguration.CircuitBreaker, clientName, ConfigurationSettings.CircuitBreaker, false, static o => Run(o.CircuitBreaker, HttpResilienceOptionsValidation.Validate)),
        new(ResilienceConfiguration.Bulkhead, clientName, ConfigurationSettings.Bulkhead, true, static o => Run(o.Bulkhead, BulkheadOptionsValidator.Validate)),
        new(ResilienceConfiguration.TimeLimiter, clientName, ConfigurationSettings.TimeLimiter, false, static o => Run(o.AttemptTimeLimiter, TimeLimiterOptionsValidator.Validate)),
    ];

    private static void Run<T>(T? layer, Action<T> validate)
        where T : class
    {
        if (layer is not null)
        {
            validate(layer);
        }
    }
}
