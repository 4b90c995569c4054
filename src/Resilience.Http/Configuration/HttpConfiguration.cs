using Microsoft.Extensions.Configuration;
using Resilience.DependencyInjection;

namespace Resilience.Http.Configuration;

/// <summary>
/// Binds the options of the HTTP handlers from the Resilience4j-shaped configuration (see
/// <see cref="ResilienceConfiguration"/>), each with the settings of its type (see <see cref="ResilienceSettings"/>):
/// durations as Resilience4j reads them, enums by name, exception types by name.
/// </summary>
internal static class HttpConfiguration
{
    public static ResilienceSettings CircuitBreakerSettings { get; } = ResilienceSettings.Create<HttpCircuitBreakerOptions>("a circuit breaker");

    public static ResilienceSettings RetrySettings { get; } = ResilienceSettings.Create<HttpRetryOptions>("a retry");

    public static ResilienceSettings TimeLimiterSettings { get; } = ResilienceSettings.Create<TimeLimiterOptions>("a time limiter");

    public static ResilienceSettings BulkheadSettings { get; } = ResilienceSettings.Create<BulkheadOptions>("a bulkhead");

    public static ResilienceSettings RateLimiterSettings { get; } = ResilienceSettings.Create<RequestRateLimiterOptions>("a rate limiter");

    /// <summary>Whether the instance has a section of its own.</summary>
    public static bool HasInstance(IConfiguration root, string primitive, string instanceName) =>
        ResilienceConfiguration.GetInstanceSection(root, primitive, instanceName).Exists();

    public static void Bind(IConfiguration root, string instanceName, HttpCircuitBreakerOptions options) =>
        ResilienceConfiguration.Bind(root, ResilienceConfiguration.CircuitBreaker, instanceName, section => CircuitBreakerSettings.Bind(section, options));

    public static void Bind(IConfiguration root, string instanceName, HttpRetryOptions options) =>
        ResilienceConfiguration.Bind(root, ResilienceConfiguration.Retry, instanceName, section => RetrySettings.Bind(section, options));

    public static void Bind(IConfiguration root, string instanceName, TimeLimiterOptions options) =>
        ResilienceConfiguration.Bind(root, ResilienceConfiguration.TimeLimiter, instanceName, section => TimeLimiterSettings.Bind(section, options));

    public static void Bind(IConfiguration root, string instanceName, BulkheadOptions options) =>
        ResilienceConfiguration.Bind(root, ResilienceConfiguration.Bulkhead, instanceName, section => BulkheadSettings.Bind(section, options));

    public static void Bind(IConfiguration root, string instanceName, RequestRateLimiterOptions options) =>
        ResilienceConfiguration.Bind(root, ResilienceConfiguration.RateLimiter, instanceName, section => RateLimiterSettings.Bind(section, options));

    /// <summary>
    /// Binds the standard composition of <paramref name="clientName"/>: each layer binds the instance named after the
    /// client (the total time limit binds <c>{client}-total</c>). The rate limiter and the bulkhead are added when
    /// their instance section exists.
    /// </summary>
    public static void BindComposite(IConfiguration root, string clientName, HttpResilienceOptions options)
    {
        if (HasInstance(root, ResilienceConfiguration.RateLimiter, clientName))
        {
            options.RateLimiter ??= new RequestRateLimiterOptions();
            Bind(root, clientName, options.RateLimiter);
        }

        if (options.TotalTimeLimiter is not null)
        {
            Bind(root, clientName + HttpResilienceConstants.TotalTimeLimiterSuffix, options.TotalTimeLimiter);
        }

        if (options.Retry is not null)
        {
            Bind(root, clientName, options.Retry);
        }

        if (options.CircuitBreaker is not null)
        {
            Bind(root, clientName, options.CircuitBreaker);
        }

        if (HasInstance(root, ResilienceConfiguration.Bulkhead, clientName))
        {
            options.Bulkhead ??= new BulkheadOptions();
            Bind(root, clientName, options.Bulkhead);
        }

        if (options.AttemptTimeLimiter is not null)
        {
            Bind(root, clientName, options.AttemptTimeLimiter);
        }
    }
}
