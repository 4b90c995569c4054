using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resilience.Routing;
using Resilience.Routing.DependencyInjection;
using Resilience.Routing.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Hedges a client's idempotent requests across the endpoints of their service.</summary>
public static class HedgingHttpClientBuilderExtensions
{
    /// <summary>
    /// Sends a copy of each idempotent request of the client while it is pending after a delay (or at once when it
    /// failed), each to its own endpoint, and returns the first response that is not a failure, with the options bound
    /// from <paramref name="configuration"/> (unknown keys are errors) and validated at start.
    /// </summary>
    /// <param name="builder">The client builder.</param>
    /// <param name="configuration">The section, such as <c>configuration.GetSection("Hedging:inventory")</c>; validation messages name its keys.</param>
    /// <returns>The client builder.</returns>
    /// <remarks>The hedging handler sits just outside the routing handler of <c>AddEndpointRouting</c> and inside the
    /// resilience handlers, whatever the order of the calls: the attempt timeout bounds all the attempts together, and
    /// a retry hedges again.</remarks>
    public static IHttpClientBuilder AddEndpointHedging(this IHttpClientBuilder builder, IConfigurationSection configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        AddCore(builder, configuration.Path + ConfigurationPath.KeyDelimiter)
            .Bind(configuration, static binder => binder.ErrorOnUnknownConfiguration = true);
        return builder;
    }

    /// <summary>
    /// Sends a copy of each idempotent request of the client while it is pending after a delay (or at once when it
    /// failed), each to its own endpoint, and returns the first response that is not a failure, with options
    /// configured by a delegate and validated at start.
    /// </summary>
    /// <param name="builder">The client builder.</param>
    /// <param name="configure">Configures the options; <see langword="null"/> keeps the defaults.</param>
    /// <returns>The client builder.</returns>
    public static IHttpClientBuilder AddEndpointHedging(this IHttpClientBuilder builder, Action<EndpointHedgingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        OptionsBuilder<EndpointHedgingOptions> options = AddCore(builder, $"{nameof(EndpointHedgingOptions)}[{builder.Name}].");
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return builder;
    }

    private static OptionsBuilder<EndpointHedgingOptions> AddCore(IHttpClientBuilder builder, string keyPrefix)
    {
        IServiceCollection services = builder.Services;
        services.TryAddSingleton(static sp => new HedgingTelemetry(sp.GetService<ILoggerFactory>(), sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHttpMessageHandlerBuilderFilter, EndpointHedgingFilter>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EndpointHedgingOptions>, EndpointHedgingOptionsValidator>());
        string name = builder.Name;
        services.Configure<EndpointHedgingClients>(clients => clients.KeyPrefixes[name] = keyPrefix);
        return services.AddOptions<EndpointHedgingOptions>(name).ValidateOnStart();
    }
}
