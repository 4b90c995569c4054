using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace PackageConsumer;

/// <summary>Resilience4Net.Discovery: a client of a logical name, and an instance that registers itself in etcd.</summary>
internal static class DiscoveryExample
{
    public static void RegisterClient(IServiceCollection services, IConfiguration configuration)
    {
        // <package-discovery-client>
        // http://inventory is resolved on every attempt, inside the retry: from Services:inventory:http:0 in
        // configuration, or from the etcd registry when AddEtcdServiceDiscovery is called too.
        services.AddResilientHttpClient("inventory", configuration.GetSection("Resilience"))
            .ConfigureHttpClient(client => client.BaseAddress = new Uri("http://inventory"))
            .AddEndpointResolution();
        // </package-discovery-client>
    }

    public static void RegisterInstance(IServiceCollection services, IConfiguration configuration)
    {
        // <package-discovery-etcd>
        // Watch the etcd registry (Discovery:Etcd: Endpoints, Prefix, Ttl, Username, Password), and register this
        // instance as one of "inventory" once the server has started, under a lease kept alive.
        services.AddEtcdServiceDiscovery(configuration.GetSection("Discovery:Etcd"));
        services.AddServiceRegistration("inventory", registration => registration.Version = "v2");
        // </package-discovery-etcd>
    }
}
