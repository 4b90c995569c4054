using Microsoft.Extensions.Configuration;

namespace Resilience.DependencyInjection;

/// <summary>Binds <see cref="ResilienceOptions"/> from the Resilience4j-shaped configuration, one primitive section at a time.</summary>
internal static class ResilienceOptionsBinder
{
    /// <summary>Binds every configuration and every unclaimed instance under <paramref name="root"/> onto <paramref name="options"/>.</summary>
    public static void Bind(IConfiguration root, ResilienceOptions options, ClaimSet claims)
    {
        BindPrimitive(root, ResilienceConfiguration.CircuitBreaker, options.CircuitBreaker, claims, static () => new CircuitBreakerOptions(), static (s, o) => s.Bind(o));
        BindPrimitive(root, ResilienceConfiguration.Retry, options.Retry, claims, static () => new RetryOptions(), static (s, o) => s.Bind(o));
        BindPrimitive(root, ResilienceConfiguration.TimeLimiter, options.TimeLimiter, claims, static () => new TimeLimiterOptions(), static (s, o) => s.Bind(o));
        BindPrimitive(root, ResilienceConfiguration.Bulkhead, options.Bulkhead, claims, static () => new BulkheadOptions(), static (s, o) => s.Bind(o));
        BindPrimitive(root, ResilienceConfiguration.ThreadPoolBulkhead, options.ThreadPoolBulkhead, claims, static () => new ThreadPoolBulkheadOptions(), static (s, o) => s.Bind(o));
        BindPrimitive(root, ResilienceConfiguration.RateLimiter, options.RateLimiter, claims, static () => new RequestRateLimiterOptions(), static (s, o) => s.Bind(o));
    }

    private static void BindPrimitive<TOptions>(IConfiguration root, string primitive, ResilienceRegistryOptions<TOptions> target, ClaimSet claims, Func<TOptions> create, Action<IConfigurationSection, TOptions> bind)
        where TOptions : class
    {
        IConfigurationSection section = root.GetSection(primitive);
        foreach (IConfigurationSection configuration in section.GetSection(ResilienceConfiguration.Configs).GetChildren())
        {
            TOptions options = target.Configs.TryGetValue(configuration.Key, out TOptions? existing) ? existing : create();
            bind(configuration, options);
            target.Configs[configuration.Key] = options;
        }

        foreach (IConfigurationSection instance in section.GetSection(ResilienceConfiguration.Instances).GetChildren())
        {
            if (claims.IsClaimed(primitive, instance.Key))
            {
                continue;
            }

            TOptions options = target.Instances.TryGetValue(instance.Key, out TOptions? existing) ? existing : create();
            ResilienceConfiguration.Bind(root, primitive, instance.Key, s => bind(s, options));
            target.Instances[instance.Key] = options;
        }
    }
}
