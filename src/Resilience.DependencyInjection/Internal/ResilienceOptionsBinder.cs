using Microsoft.Extensions.Configuration;

namespace Resilience.DependencyInjection;

/// <summary>Binds <see cref="ResilienceOptions"/> from the Resilience4j-shaped configuration, one primitive section at a time.</summary>
internal static class ResilienceOptionsBinder
{
    /// <summary>Binds every configuration and every unclaimed instance under <paramref name="root"/> onto <paramref name="options"/>.</summary>
    public static void Bind(IConfiguration root, ResilienceOptions options, ClaimSet claims)
    {
        BindPrimitive(root, ResilienceConfiguration.CircuitBreaker, options.CircuitBreaker, claims, static () => new CircuitBreakerOptions(), ResilienceSettings.CircuitBreaker);
        BindPrimitive(root, ResilienceConfiguration.Retry, options.Retry, claims, static () => new RetryOptions(), ResilienceSettings.Retry);
        BindPrimitive(root, ResilienceConfiguration.TimeLimiter, options.TimeLimiter, claims, static () => new TimeLimiterOptions(), ResilienceSettings.TimeLimiter);
        BindPrimitive(root, ResilienceConfiguration.Bulkhead, options.Bulkhead, claims, static () => new BulkheadOptions(), ResilienceSettings.Bulkhead);
        BindPrimitive(root, ResilienceConfiguration.ThreadPoolBulkhead, options.ThreadPoolBulkhead, claims, static () => new ThreadPoolBulkheadOptions(), ResilienceSettings.ThreadPoolBulkhead);
        BindPrimitive(root, ResilienceConfiguration.RateLimiter, options.RateLimiter, claims, static () => new RequestRateLimiterOptions(), ResilienceSettings.RateLimiter);
    }

    private static void BindPrimitive<TOptions>(IConfiguration root, string primitive, ResilienceRegistryOptions<TOptions> target, ClaimSet claims, Func<TOptions> create, ResilienceSettings settings)
        where TOptions : class
    {
        IConfigurationSection section = root.GetSection(primitive);
        foreach (IConfigurationSection configuration in section.GetSection(ResilienceConfiguration.Configs).GetChildren())
        {
            TOptions options = target.Configs.TryGetValue(configuration.Key, out TOptions? existing) ? existing : create();
            foreach (IConfigurationSection baseSection in BaseChain.Of(root, primitive, configuration, isInstance: false).Sections)
            {
                settings.Bind(baseSection, options);
            }

            settings.Bind(configuration, options);
            target.Configs[configuration.Key] = options;
        }

        foreach (IConfigurationSection instance in section.GetSection(ResilienceConfiguration.Instances).GetChildren())
        {
            if (claims.IsClaimed(primitive, instance.Key))
            {
                continue;
            }

            TOptions options = target.Instances.TryGetValue(instance.Key, out TOptions? existing) ? existing : create();
            ResilienceConfiguration.Bind(root, primitive, instance.Key, s => settings.Bind(s, options));
            target.Instances[instance.Key] = options;
        }
    }
}
