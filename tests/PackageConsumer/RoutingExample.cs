using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace PackageConsumer;

/// <summary>Resilience4Net.Routing: a client of a logical name whose attempts go to the endpoint a policy chooses.</summary>
internal static class RoutingExample
{
    public static void RegisterClient(IServiceCollection services, IConfiguration configuration)
    {
        // <package-routing-client>
        // Each attempt goes to one endpoint of http://inventory (Services:inventory:http:0..n), chosen by the policy of
        // Routing:inventory (two choices, least request, by default), with outlier ejection and a retry budget when
        // their sections are present.
        services.AddResilientHttpClient("inventory", configuration.GetSection("Resilience"))
            .ConfigureHttpClient(client => client.BaseAddress = new Uri("http://inventory"))
            .AddEndpointRouting(configuration.GetSection("Routing:inventory"));
        // </package-routing-client>
    }
}
