using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.ServiceDiscovery;
using Resilience.Discovery;
using Resilience.Discovery.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Resolves a client's logical service names, such as <c>http://inventory</c>, on every attempt.</summary>
public static class DiscoveryHttpClientBuilderExtensions
{
    /// <summary>
    /// Resolves the authority of every request of the client through Microsoft.Extensions.ServiceDiscovery and sends
    /// it to one of the service's endpoints, picked round robin.
    /// </summary>
    /// <param name="builder">The client builder.</param>
    /// <returns>The client builder.</returns>
    /// <remarks>
    /// <para>The resolving handler is always the innermost, whatever the order of the calls: the resilience handlers
    /// (<c>AddResilience</c>, <c>AddResilientHttpClient</c>) sit outside it, so each retry attempt resolves again and
    /// may reach another instance.</para>
    /// <para>It registers <c>AddServiceDiscovery()</c>: the configuration provider (section <c>Services</c>, such as
    /// <c>Services:inventory:http:0</c>) and the pass-through provider, which leaves a name it cannot resolve as it is.
    /// A Kubernetes ClusterIP name such as <c>http://inventory.shop.svc.cluster.local</c> therefore passes through
    /// unchanged to the cluster's DNS and kube-proxy (server-side discovery).</para>
    /// </remarks>
    public static IHttpClientBuilder AddEndpointResolution(this IHttpClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddEndpointSetResolver(builder.Services);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHttpMessageHandlerBuilderFilter, EndpointResolutionFilter>());
        string name = builder.Name;
        builder.Services.Configure<EndpointResolutionClients>(clients => clients.Names.Add(name));
        return builder;
    }

    /// <summary>
    /// Registers Microsoft.Extensions.ServiceDiscovery with its default providers (<c>AddServiceDiscovery()</c>) and the
    /// singleton <see cref="EndpointSetResolver"/> over it, once, without adding a handler to any client.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>The services.</returns>
    /// <remarks>For packages that select endpoints themselves, such as Resilience4Net.Routing's <c>AddEndpointRouting</c>.</remarks>
    public static IServiceCollection AddEndpointSetResolver(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(static d => d.ServiceType == typeof(EndpointSetResolver)))
        {
            return services;
        }

        services.AddServiceDiscovery();
        services.AddSingleton(static sp => new EndpointSetResolver(sp.GetRequiredService<ServiceEndpointResolver>()));
        return services;
    }
}
