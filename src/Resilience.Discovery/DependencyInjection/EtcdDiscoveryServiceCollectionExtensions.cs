using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.ServiceDiscovery;
using Resilience.Discovery;
using Resilience.Discovery.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the etcd registry: the client-side provider that watches it, and self-registration.</summary>
public static class EtcdDiscoveryServiceCollectionExtensions
{
    /// <summary>
    /// Resolves service names through etcd, first and before Microsoft.Extensions.ServiceDiscovery's configuration
    /// and pass-through providers, with the options bound from <paramref name="configuration"/> (unknown keys are
    /// errors) and validated at start.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The section, such as <c>configuration.GetSection("Discovery:Etcd")</c>; validation messages name its keys.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddEtcdServiceDiscovery(this IServiceCollection services, IConfigurationSection configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        AddEtcdCore(services).Bind(configuration, static binder => binder.ErrorOnUnknownConfiguration = true);
        Validator(services).KeyPrefix = configuration.Path + ConfigurationPath.KeyDelimiter;
        return services;
    }

    /// <summary>Resolves service names through etcd, with options configured by a delegate and validated at start.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddEtcdServiceDiscovery(this IServiceCollection services, Action<EtcdDiscoveryOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        AddEtcdCore(services).Configure(configure);
        return services;
    }

    /// <summary>
    /// Registers this instance as an instance of <paramref name="serviceName"/> in the etcd registry of
    /// <c>AddEtcdServiceDiscovery</c>: once the server has started, under a lease kept alive; removed on graceful stop
    /// before the server stops accepting requests, and while its health checks report Unhealthy.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="serviceName">The logical name clients resolve, such as <c>inventory</c> for <c>http://inventory</c>.</param>
    /// <param name="configure">Sets the address and metadata the instance publishes; optional.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddServiceRegistration(this IServiceCollection services, string serviceName, Action<ServiceRegistrationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceName);
        var options = new ServiceRegistrationOptions();
        configure?.Invoke(options);
        if (options.Weight is < EtcdDiscoveryConstants.MinimumWeight or > EtcdDiscoveryConstants.MaximumWeight)
        {
            throw new ArgumentOutOfRangeException(nameof(configure), options.Weight, $"{nameof(ServiceRegistrationOptions)}.{nameof(ServiceRegistrationOptions.Weight)} of '{serviceName}' is {options.Weight}, but it must be between {EtcdDiscoveryConstants.MinimumWeight} and {EtcdDiscoveryConstants.MaximumWeight}.");
        }

        if (options.Identity is { } identity && !IsSpiffeUri(identity))
        {
            throw new ArgumentException($"{nameof(ServiceRegistrationOptions)}.{nameof(ServiceRegistrationOptions.Identity)} of '{serviceName}' is '{identity}', but it must be a SPIFFE ID: spiffe://<trust domain>/<path>.", nameof(configure));
        }

        services.AddKeyedSingleton(serviceName, (sp, _) => new ServiceRegistrationService(
            serviceName,
            options,
            sp,
            sp.GetService<EtcdConnection>() ?? throw new InvalidOperationException($"AddServiceRegistration(\"{serviceName}\") needs a registry: call AddEtcdServiceDiscovery(…) too."),
            sp.GetRequiredService<DiscoveryTelemetry>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredKeyedService<ServiceRegistrationService>(serviceName));
        services.AddSingleton<IHealthCheckPublisher>(sp => sp.GetRequiredKeyedService<ServiceRegistrationService>(serviceName));
        return services;
    }

    // The shape only (the scheme, a trust domain, no query or fragment): Resilience.Identity parses it fully when it checks a server.
    private static bool IsSpiffeUri(string identity) =>
        Uri.TryCreate(identity, UriKind.Absolute, out Uri? uri)
        && uri.Scheme == "spiffe"
        && uri.Host.Length > 0
        && uri.Query.Length == 0
        && uri.Fragment.Length == 0
        && identity.StartsWith("spiffe://", StringComparison.Ordinal);

    private static OptionsBuilder<EtcdDiscoveryOptions> AddEtcdCore(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        OptionsBuilder<EtcdDiscoveryOptions> options = services.AddOptions<EtcdDiscoveryOptions>();
        if (services.Any(static d => d.ServiceType == typeof(EtcdConnection)))
        {
            return options;
        }

        options.ValidateOnStart();
        services.AddSingleton<IValidateOptions<EtcdDiscoveryOptions>>(new EtcdDiscoveryOptionsValidator());
        services.AddLogging();
        services.AddMetrics();
        services.TryAddSingleton<DiscoveryTelemetry>();
        services.AddSingleton<EtcdConnection>();
        services.AddSingleton(static sp => new EtcdServiceEndpointProviderFactory(
            sp.GetRequiredService<EtcdConnection>(), sp.GetRequiredService<DiscoveryTelemetry>(), sp.GetService<TimeProvider>() ?? TimeProvider.System));

        // First of the providers: the pass-through provider, registered by AddServiceDiscovery(), answers any name.
        services.Insert(0, ServiceDescriptor.Singleton<IServiceEndpointProviderFactory>(static sp => sp.GetRequiredService<EtcdServiceEndpointProviderFactory>()));
        DiscoveryHttpClientBuilderExtensions.AddEndpointSetResolver(services);
        return options;
    }

    private static EtcdDiscoveryOptionsValidator Validator(IServiceCollection services) =>
        (EtcdDiscoveryOptionsValidator)services.First(static d => d.ServiceType == typeof(IValidateOptions<EtcdDiscoveryOptions>) && d.ImplementationInstance is EtcdDiscoveryOptionsValidator).ImplementationInstance!;
}
