using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resilience.Routing;
using Resilience.Routing.DependencyInjection;
using Resilience.Routing.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Sends each attempt of a client's requests to one endpoint of the logical service, chosen by a load-balancing policy.</summary>
public static class RoutingHttpClientBuilderExtensions
{
    /// <summary>
    /// Resolves the authority of every request of the client through Microsoft.Extensions.ServiceDiscovery and sends
    /// each attempt to the endpoint the configured <see cref="ILoadBalancingPolicy"/> chooses, with the options bound
    /// from <paramref name="configuration"/> (unknown keys are errors) and validated at start.
    /// </summary>
    /// <param name="builder">The client builder.</param>
    /// <param name="configuration">The section, such as <c>configuration.GetSection("Routing:inventory")</c>; validation messages name its keys.</param>
    /// <returns>The client builder.</returns>
    /// <remarks>Use it instead of <c>AddEndpointResolution</c> (which picks round robin). The routing handler is always
    /// the innermost, whatever the order of the calls, so each retry attempt of the resilience handlers picks again.</remarks>
    public static IHttpClientBuilder AddEndpointRouting(this IHttpClientBuilder builder, IConfigurationSection configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        AddCore(builder, configuration.Path + ConfigurationPath.KeyDelimiter)
            .Bind(configuration, static binder => binder.ErrorOnUnknownConfiguration = true);
        return builder;
    }

    /// <summary>
    /// Resolves the authority of every request of the client and sends each attempt to the endpoint the configured
    /// <see cref="ILoadBalancingPolicy"/> chooses (by default <see cref="LoadBalancingPolicies.LeastRequest"/>), with
    /// options configured by a delegate and validated at start.
    /// </summary>
    /// <param name="builder">The client builder.</param>
    /// <param name="configure">Configures the options; <see langword="null"/> keeps the defaults.</param>
    /// <returns>The client builder.</returns>
    public static IHttpClientBuilder AddEndpointRouting(this IHttpClientBuilder builder, Action<EndpointRoutingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        OptionsBuilder<EndpointRoutingOptions> options = AddCore(builder, $"{nameof(EndpointRoutingOptions)}[{builder.Name}].");
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return builder;
    }

    private static OptionsBuilder<EndpointRoutingOptions> AddCore(IHttpClientBuilder builder, string keyPrefix)
    {
        IServiceCollection services = builder.Services;
        services.AddEndpointSetResolver();
        services.TryAddSingleton<EndpointStateRegistry>();
        services.TryAddSingleton<Resilience.DependencyInjection.LastGoodOptions>();
        services.TryAddSingleton(static sp => new OutlierTelemetry(sp.GetService<ILoggerFactory>(), sp.GetService<IMeterFactory>()));
        services.TryAddSingleton(static sp => new RetryBudgetTelemetry(sp.GetService<ILoggerFactory>(), sp.GetService<IMeterFactory>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHttpMessageHandlerBuilderFilter, EndpointRoutingFilter>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EndpointRoutingOptions>, EndpointRoutingOptionsValidator>());
        string name = builder.Name;
        services.Configure<EndpointRoutingClients>(clients => clients.KeyPrefixes[name] = keyPrefix);
        return services.AddOptions<EndpointRoutingOptions>(name).ValidateOnStart();
    }
}
