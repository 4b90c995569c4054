using Microsoft.Extensions.Configuration;

namespace Resilience.DependencyInjection;

/// <summary>
/// The shape of the Resilience4j-style configuration, and how an instance is bound from it: <c>{Primitive}:Configs:{name}</c>
/// holds shared configurations, and <c>{Primitive}:Instances:{instance}</c> holds an instance's settings, with
/// <c>BaseConfig</c> naming the configuration it starts from.
/// </summary>
/// <remarks>
/// An instance without <c>BaseConfig</c> starts from the configuration named <c>default</c> when there is one, as
/// Resilience4j's Spring Boot starter does. A configuration may name a <c>BaseConfig</c> of its own; the chain is
/// followed, farthest base first, and settings of the instance override those of its bases. Setting names are the
/// option property names, case-insensitive; values are read as <see cref="ResilienceSettings"/> describes (durations as
/// <c>500ms</c>, <c>10s</c>, <c>PT10S</c> or <c>00:00:05</c>, a bare number being milliseconds). <c>AddResilience</c>
/// and the HTTP clients of Resilience.Http read the same shape; docs/configuration.md describes it in full.
/// </remarks>
/// <example>
/// <code>
/// "Resilience": {
///   "CircuitBreaker": {
///     "Configs": { "default": { "SlidingWindowSize": 50 }, "slow": { "SlowCallDurationThreshold": "2s" } },
///     "Instances": { "payments": { "BaseConfig": "slow", "FailureRateThreshold": 25 } }
///   }
/// }
/// </code>
/// </example>
public static class ResilienceConfiguration
{
    /// <summary>The section of the circuit breakers.</summary>
    public const string CircuitBreaker = "CircuitBreaker";

    /// <summary>The section of the retries.</summary>
    public const string Retry = "Retry";

    /// <summary>The section of the time limiters.</summary>
    public const string TimeLimiter = "TimeLimiter";

    /// <summary>The section of the semaphore bulkheads.</summary>
    public const string Bulkhead = "Bulkhead";

    /// <summary>The section of the thread-pool bulkheads.</summary>
    public const string ThreadPoolBulkhead = "ThreadPoolBulkhead";

    /// <summary>The section of the rate limiters.</summary>
    public const string RateLimiter = "RateLimiter";

    /// <summary>The section, under a primitive's, of the shared configurations.</summary>
    public const string Configs = "Configs";

    /// <summary>The section, under a primitive's, of the instances.</summary>
    public const string Instances = "Instances";

    /// <summary>The key, in an instance, of the configuration it starts from.</summary>
    public const string BaseConfig = "BaseConfig";

    /// <summary>The configuration an instance without <see cref="BaseConfig"/> starts from, when it exists.</summary>
    public const string DefaultConfig = "default";

    /// <summary>Gets the section of an instance: <c>{primitive}:Instances:{instanceName}</c>.</summary>
    /// <param name="configuration">The root of the Resilience4j-shaped configuration.</param>
    /// <param name="primitive">The primitive's section, such as <see cref="CircuitBreaker"/>.</param>
    /// <param name="instanceName">The instance name.</param>
    /// <returns>The section, which may not exist.</returns>
    public static IConfigurationSection GetInstanceSection(IConfiguration configuration, string primitive, string instanceName)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrEmpty(primitive);
        ArgumentNullException.ThrowIfNull(instanceName);
        return configuration.GetSection(primitive).GetSection(Instances).GetSection(instanceName);
    }

    /// <summary>Gets the configuration an instance starts from: the one its <c>BaseConfig</c> names, or else <c>default</c> when it exists.</summary>
    /// <param name="configuration">The root of the Resilience4j-shaped configuration.</param>
    /// <param name="primitive">The primitive's section, such as <see cref="CircuitBreaker"/>.</param>
    /// <param name="instanceName">The instance name.</param>
    /// <returns>The base section (which does not exist when <c>BaseConfig</c> names a missing configuration), or <see langword="null"/> for none.</returns>
    public static IConfigurationSection? GetBaseSection(IConfiguration configuration, string primitive, string instanceName)
    {
        string? baseName = GetInstanceSection(configuration, primitive, instanceName)[BaseConfig];
        IConfigurationSection configs = configuration.GetSection(primitive).GetSection(Configs);
        if (!string.IsNullOrEmpty(baseName))
        {
            return configs.GetSection(baseName);
        }

        IConfigurationSection fallback = configs.GetSection(DefaultConfig);
        return fallback.Exists() ? fallback : null;
    }

    /// <summary>
    /// Binds an instance: first its base configurations, farthest first (the chain its <c>BaseConfig</c> names, each
    /// configuration's own <c>BaseConfig</c> followed in turn, or else <c>default</c> when it exists), then its own section.
    /// </summary>
    /// <param name="configuration">The root of the Resilience4j-shaped configuration.</param>
    /// <param name="primitive">The primitive's section, such as <see cref="CircuitBreaker"/>.</param>
    /// <param name="instanceName">The instance name.</param>
    /// <param name="bind">
    /// Binds one section onto the options, such as <c>section =&gt; settings.Bind(section, options)</c>; called with
    /// each base section, farthest first, then with the instance's.
    /// </param>
    /// <remarks>A chain that names a missing configuration, or comes back on itself, is bound as far as it goes; the validation reports it.</remarks>
    public static void Bind(IConfiguration configuration, string primitive, string instanceName, Action<IConfigurationSection> bind)
    {
        ArgumentNullException.ThrowIfNull(bind);
        IConfigurationSection instance = GetInstanceSection(configuration, primitive, instanceName);
        foreach (IConfigurationSection baseSection in BaseChain.Of(configuration, primitive, instance, isInstance: true).Sections)
        {
            bind(baseSection);
        }

        bind(instance);
    }

    /// <summary>
    /// Gets the message of an options validator's exception without the <c> (Parameter 'X')</c> suffix that
    /// <see cref="ArgumentException.Message"/> appends: the primitives' validators already name the option, the value
    /// and the valid range, as in <c>CircuitBreakerOptions.FailureRateThreshold is 150, but it must be …</c>.
    /// </summary>
    /// <param name="exception">The exception of an options validation, such as the one a registry throws for invalid options.</param>
    /// <returns>The message, for an options validation failure.</returns>
    public static string GetValidationMessage(ArgumentException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return ConfigurationChecks.WithoutParameter(exception);
    }
}
