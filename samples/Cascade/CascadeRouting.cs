// How Inventory (B) and Pricing (C) of the cascade demo choose an instance of the next service, compiled into those
// two: with a Routing:{name} section and a logical name to resolve (etcd, or endpoints listed in configuration), the
// resilient client routes through Resilience.Routing (least request, outlier ejection, Inventory's 95/5 canary split);
// otherwise it resolves as CascadeDiscovery.AddCascadeResolution does.

/// <summary>Endpoint routing of the cascade services' resilient clients, when configured.</summary>
internal static class CascadeRouting
{
    /// <summary>Routes each attempt of the client of <paramref name="name"/> with the options of <c>Routing:{name}</c>.</summary>
    public static IHttpClientBuilder AddCascadeRouting(this IHttpClientBuilder client, IConfiguration configuration, string name)
    {
        IConfigurationSection routing = configuration.GetSection($"Routing:{name}");
        if (!routing.Exists() || !CascadeDiscovery.Resolves(configuration, name))
        {
            return client.AddCascadeResolution(configuration, name);
        }

        // <cascade-routing>
        // Each attempt (each retry too) goes to one instance, chosen by the policy of Routing:{name}, among those that
        // outlier detection has not ejected; Inventory's Split sends 5 % of its calls to Pricing v2.
        return client.AddEndpointRouting(routing);
        // </cascade-routing>
    }
}
