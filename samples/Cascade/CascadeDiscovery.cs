// How a cascade service finds the next one, compiled into each of the four services. By default (Discovery:Mode
// absent or "configuration") a client's base address is the fixed address under Services:{Name} in appsettings.json.
// With Discovery:Mode = "etcd" (the demo's --discovery etcd) each service registers itself in the etcd registry of
// Discovery:Etcd (Endpoints, Prefix, Ttl) once it has started, and a client names the next service by its logical
// name, http://{name}, resolved on every attempt from the registry.

/// <summary>Service discovery of the cascade services: fixed addresses from configuration, or etcd.</summary>
internal static class CascadeDiscovery
{
    /// <summary>Whether <c>Discovery:Mode</c> is <c>etcd</c>.</summary>
    /// <exception cref="InvalidOperationException">The mode is neither <c>configuration</c> nor <c>etcd</c>.</exception>
    public static bool UsesEtcd(IConfiguration configuration) => configuration["Discovery:Mode"] switch
    {
        null or "" => false,
        string mode when mode.Equals("configuration", StringComparison.OrdinalIgnoreCase) => false,
        string mode when mode.Equals("etcd", StringComparison.OrdinalIgnoreCase) => true,
        string mode => throw new InvalidOperationException($"Discovery:Mode is '{mode}', but it must be 'configuration' or 'etcd'."),
    };

    /// <summary>In etcd mode, registers this instance as <paramref name="service"/>; nothing otherwise.</summary>
    public static void AddCascadeRegistration(this WebApplicationBuilder builder, string service)
    {
        if (!UsesEtcd(builder.Configuration))
        {
            return;
        }

        // <cascade-registration>
        // Watch the registry, and register this instance once the server has started (its address is then known).
        builder.Services.AddEtcdServiceDiscovery(builder.Configuration.GetSection("Discovery:Etcd"));
        builder.Services.AddServiceRegistration(service, registration =>
        {
            // Inventory's health checks report its breaker: the demo shows the breaker at work, so an open breaker
            // does not take the only instance out of the registry.
            registration.HealthAware = false;
        });
        // </cascade-registration>
    }

    /// <summary>
    /// The base address of the next service: <c>http://{name}/</c> in etcd mode (<c>https://{name}/</c> with mutual TLS,
    /// so that only the instances registered with an https address match), else <c>Services:{name}</c> or <paramref name="fallback"/>.
    /// </summary>
    public static Uri Downstream(IConfiguration configuration, string name, string fallback) =>
        UsesEtcd(configuration)
            ? new Uri($"{(CascadeIdentity.UsesMutualTls(configuration) ? "https" : "http")}://{name.ToLowerInvariant()}/")
            : new Uri(configuration[$"Services:{name}"] ?? fallback);

    /// <summary>In etcd mode, resolves the client's logical name on every attempt, inside its resilience handlers.</summary>
    public static IHttpClientBuilder AddCascadeResolution(this IHttpClientBuilder client, IConfiguration configuration) =>
        UsesEtcd(configuration) ? client.AddEndpointResolution() : client;
}
