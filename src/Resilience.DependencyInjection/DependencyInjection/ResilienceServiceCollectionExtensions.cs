using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resilience;
using Resilience.DependencyInjection;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers the registries of every primitive as singletons, for any code: <see cref="CircuitBreakerRegistry"/>,
/// <see cref="RetryRegistry"/>, <see cref="TimeLimiterRegistry"/>, <see cref="BulkheadRegistry"/>,
/// <see cref="ThreadPoolBulkheadRegistry"/> and <see cref="RequestRateLimiterRegistry"/>, bound from the
/// Resilience4j-shaped configuration that the HTTP clients of Resilience.Http read too.
/// </summary>
/// <remarks>
/// <para><b>Shape.</b> Under the section given (usually <c>configuration.GetSection("Resilience")</c>), one section per
/// primitive: <c>CircuitBreaker</c>, <c>Retry</c>, <c>TimeLimiter</c>, <c>Bulkhead</c>, <c>ThreadPoolBulkhead</c>,
/// <c>RateLimiter</c>. Under each, <c>Configs:{name}</c> holds named configurations, added to the registry; the one
/// named <c>default</c> is the registry's default options. <c>Instances:{name}</c> holds an instance, created when the
/// registry is built from its <c>BaseConfig</c> (or <c>default</c>) overridden by its own settings, so that
/// <c>registry.GetOrCreate(name)</c> and <c>registry.TryGet(name, out …)</c> return it. Any other name is created on
/// demand with the default options. Every primitive gets the container's <see cref="TimeProvider"/> when one is
/// registered, else <see cref="TimeProvider.System"/>. See <see cref="ResilienceConfiguration"/>.</para>
/// <para><b>Validation.</b> The options are validated when the host starts (<c>ValidateOnStart</c>). Every problem is
/// reported, one per line, with its full key: a value out of range (at the key that holds it, in the instance or in
/// the configuration of its <c>BaseConfig</c> chain), a value that does not convert or has the wrong shape, a key that is
/// not a primitive section, a level or a setting (with the nearest valid name), and a broken <c>BaseConfig</c> chain.
/// Values are read as <see cref="ResilienceSettings"/> describes. For example
/// <c>Resilience:CircuitBreaker:Instances:payments:FailureRateThreshold is 150, but it must be greater than 0 and at most 100 (percent).</c>
/// Options set by code are named by the key they would have, such as <c>CircuitBreaker:Instances:payments:FailureRateThreshold</c>.</para>
/// <para><b>Reload.</b> A configuration reload applies to the registries as it does to the HTTP clients
/// (<see cref="ResilienceReload"/>): an instance whose options did not change is kept with its state; a changed circuit
/// breaker is replaced by one in the same state, with empty window counts (closed when its window type or size
/// changed); a bulkhead or rate limiter whose limit changed is changed in place; anything else is built anew. A
/// replacement is put in the registry with <c>TryReplace</c>, which raises <c>EntryReplaced</c>: code that holds an
/// instance keeps the old one, so look it up by name, or follow <c>EntryReplaced</c>, to see the new one. Calls in
/// flight finish on the old one. New instances and configurations are added; an instance that configuration no longer
/// lists keeps its last options. A reload with an invalid value changes nothing: the last valid options stay until
/// the configuration is fixed; it is logged at Error with every failure and counted (see <see cref="LastGoodOptions"/>),
/// and the options monitor also raises the validation failure to the reload's caller. The
/// default configuration, which instances created on demand use, is read once, when the registries are built; a
/// thread-pool bulkhead keeps the options it was created with, since replacing it would cancel its queued tasks.</para>
/// <para><b>HTTP clients.</b> The primitives of the HTTP clients of Resilience.Http live in these same registries: the
/// layers of a client's standard composition under the client's name (the total time limiter under
/// <c>{client}-total</c>), a primitive added on its own under <c>{client}/{instance}</c>. An instance of the
/// configuration that an HTTP client registered by name reads is left to that client (see
/// <see cref="ResilienceConfigurationClaim"/>).</para>
/// <para>Each overload may be called any number of times: the registries are registered once, sections are bound in
/// the order given, and a <c>configure</c> delegate runs after the sections registered before it.</para>
/// </remarks>
public static class ResilienceServiceCollectionExtensions
{
    /// <summary>Registers the registries of every primitive with their defaults; instances are created on demand.</summary>
    /// <param name="services">The services.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddResilience(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions();
        services.AddOptions<ResilienceOptions>().ValidateOnStart();
        services.TryAddSingleton<LastGoodOptions>();
        services.TryAddSingleton(sp => new ResilienceConfigurationSources(new ClaimSet(sp.GetServices<ResilienceConfigurationClaim>())));
        services.TryAddSingleton(static sp => new UnusedInstances(sp.GetServices<ResilienceConfigurationClaim>(), sp.GetService<ILoggerFactory>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ResilienceOptions>, ResilienceOptionsValidator>());
        services.TryAddSingleton(sp => new ResilienceRegistries(
            sp.GetRequiredService<LastGoodOptions>(),
            sp.GetService<TimeProvider>(),
            sp.GetRequiredService<ResilienceConfigurationSources>().Claims));
        services.TryAddSingleton(static sp => sp.GetRequiredService<ResilienceRegistries>().CircuitBreakers);
        services.TryAddSingleton(static sp => sp.GetRequiredService<ResilienceRegistries>().Retries);
        services.TryAddSingleton(static sp => sp.GetRequiredService<ResilienceRegistries>().TimeLimiters);
        services.TryAddSingleton(static sp => sp.GetRequiredService<ResilienceRegistries>().Bulkheads);
        services.TryAddSingleton(static sp => sp.GetRequiredService<ResilienceRegistries>().ThreadPoolBulkheads);
        services.TryAddSingleton(static sp => sp.GetRequiredService<ResilienceRegistries>().RateLimiters);
        services.TryAddSingleton<IResilienceChainProvider>(static sp => new ResilienceChainProvider(sp.GetRequiredService<ResilienceRegistries>()));
        return services;
    }

    /// <summary>Registers the registries of every primitive, bound from the Resilience4j-shaped configuration.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The root of the configuration, such as <c>configuration.GetSection("Resilience")</c>.</param>
    /// <returns>The services, for chaining.</returns>
    /// <example>
    /// <code>
    /// builder.Services.AddResilience(builder.Configuration.GetSection("Resilience"));
    /// // later, in any service:
    /// CircuitBreaker payments = circuitBreakerRegistry.GetOrCreate("payments"); // Resilience:CircuitBreaker:Instances:payments
    /// </code>
    /// </example>
    public static IServiceCollection AddResilience(this IServiceCollection services, IConfigurationSection configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        AddResilience(services);
        services.AddSingleton<IConfigureOptions<ResilienceOptions>>(sp => new ResilienceSectionSetup(configuration, sp.GetRequiredService<ResilienceConfigurationSources>()));
        services.AddSingleton<IOptionsChangeTokenSource<ResilienceOptions>>(new ConfigurationChangeTokenSource<ResilienceOptions>(Options.Options.DefaultName, configuration));
        return services;
    }

    /// <summary>Registers the registries of every primitive, set up by a delegate.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets up the configurations and instances of each registry; runs after the sections registered before it.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddResilience(this IServiceCollection services, Action<ResilienceOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        AddResilience(services);
        services.Configure(configure);
        return services;
    }
}
