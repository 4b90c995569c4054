// How a cascade service finds the next one, compiled into each of the four services. By default (Discovery:Mode
// absent or "configuration") a client's base address is the fixed address under Services:{Name} in appsettings.json.
// With Discovery:Mode = "etcd" (the demo's --discovery etcd) each service registers itself in the etcd registry of
// Discovery:Etcd (Endpoints, Prefix, Ttl) once it has started, and a client names the next service by its logical
// name, http://{name}, resolved on every attempt from the registry. When Services:{name}:{scheme} lists several
// endpoints (the demo's three Warehouse instances), the client names http://{name} too and the configuration provider
// of Microsoft.Extensions.ServiceDiscovery resolves it.

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
            // Pricing v1 or v2: the label Inventory's traffic split selects its subsets by (Chain:Version).
            registration.Version = builder.Configuration["Chain:Version"];
            // With mutual TLS, the SPIFFE ID this instance presents, which its clients then expect of it.
            registration.Identity = builder.Configuration["Chain:Identity"];
        });
        // </cascade-registration>
    }

    /// <summary>
    /// The base address of the next service: <c>http://{name}/</c> in etcd mode or when <c>Services:{name}:http</c>
    /// lists its endpoints (<c>https://{name}/</c> with mutual TLS, so that only the instances registered with an
    /// https address match), else <c>Services:{name}</c> or <paramref name="fallback"/>.
    /// </summary>
    public static Uri Downstream(IConfiguration configuration, string name, string fallback) =>
        UsesEtcd(configuration) || ListsEndpoints(configuration, name)
            ? new Uri($"{Scheme(configuration)}://{name.ToLowerInvariant()}/")
            : new Uri(configuration[$"Services:{name}"] ?? fallback);

    /// <summary>Whether the client of <paramref name="name"/> resolves a logical name: in etcd mode, or when configuration lists its endpoints.</summary>
    public static bool Resolves(IConfiguration configuration, string name) => UsesEtcd(configuration) || ListsEndpoints(configuration, name);

    /// <summary>In etcd mode, resolves the client's logical name on every attempt, inside its resilience handlers.</summary>
    public static IHttpClientBuilder AddCascadeResolution(this IHttpClientBuilder client, IConfiguration configuration) =>
        UsesEtcd(configuration) ? client.AddEndpointResolution() : client;

    /// <summary>
    /// In etcd mode, or when <c>Services:{name}:http</c> lists the endpoints of <paramref name="name"/>, resolves the
    /// client's logical name on every attempt (round robin, Microsoft.Extensions.ServiceDiscovery's choice).
    /// </summary>
    public static IHttpClientBuilder AddCascadeResolution(this IHttpClientBuilder client, IConfiguration configuration, string name) =>
        Resolves(configuration, name) ? client.AddEndpointResolution() : client;

    // The configuration provider of Microsoft.Extensions.ServiceDiscovery reads Services:{name}:{scheme}:{i}.
    private static bool ListsEndpoints(IConfiguration configuration, string name) =>
        configuration.GetSection($"Services:{name.ToLowerInvariant()}:{Scheme(configuration)}").GetChildren().Any();

    private static string Scheme(IConfiguration configuration) => CascadeIdentity.UsesMutualTls(configuration) ? "https" : "http";
}
