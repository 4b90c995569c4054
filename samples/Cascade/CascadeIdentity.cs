// How a cascade service speaks mutual TLS, compiled into each of the four services; nothing changes unless it is
// configured (the demo's --mtls configures it):
// - Identity (CertificateFile, KeyFile, TrustBundleFile): this service's workload identity, PEM files read again when
//   they rotate. The service then serves HTTPS on the address of Urls with that identity, requires a client
//   certificate chained to the same trust bundle, and makes the caller's SPIFFE ID the claim spiffe_id.
// - Chain:ExpectedServerId: the client to the next service presents this service's identity and accepts only a server
//   with that SPIFFE ID. Without it, the client accepts each endpoint of the next service only with the SPIFFE ID that
//   endpoint registered in etcd (Chain:Identity of that service, see CascadeDiscovery.cs).
// - Authorization:Policies: Istio-shaped authorization policies that decide every request; a denied one gets 403.
using System.Net;

/// <summary>Workload identity and authorization of the cascade services: mutual TLS with SPIFFE IDs, when configured.</summary>
internal static class CascadeIdentity
{
    /// <summary>Whether the <c>Identity</c> section is configured: the service then speaks mutual TLS only.</summary>
    public static bool UsesMutualTls(IConfiguration configuration) => configuration.GetSection("Identity").Exists();

    /// <summary>Whether the <c>Authorization</c> section is configured.</summary>
    public static bool UsesAuthorization(IConfiguration configuration) => configuration.GetSection("Authorization").Exists();

    /// <summary>Registers the identity (served over TLS on the address of <c>Urls</c>) and the policies, when configured.</summary>
    public static void AddCascadeIdentity(this WebApplicationBuilder builder)
    {
        if (UsesMutualTls(builder.Configuration))
        {
            Uri url = ListenUrl(builder.Configuration["Urls"]);
            // <cascade-identity-server>
            // This service's identity, from the files of Identity; every endpoint requires a client certificate.
            builder.Services.AddWorkloadIdentity(builder.Configuration.GetSection("Identity"));
            builder.Services.AddAuthentication(WorkloadIdentityAuthenticationBuilderExtensions.AuthenticationScheme).AddWorkloadIdentity();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(Address(url), url.Port, listen => listen.UseWorkloadIdentity()));
            // </cascade-identity-server>
        }

        if (UsesAuthorization(builder.Configuration))
        {
            // <cascade-authorization>
            // Istio-shaped policies from Authorization:Policies, validated at start and reloaded with the configuration.
            builder.Services.AddWorkloadAuthorization(builder.Configuration.GetSection("Authorization"));
            // </cascade-authorization>
        }
    }

    /// <summary>Puts the caller's SPIFFE ID on the request, then lets the policies decide it, when configured.</summary>
    public static void UseCascadeIdentity(this WebApplication app)
    {
        if (UsesMutualTls(app.Configuration))
        {
            app.UseAuthentication();
        }

        if (UsesAuthorization(app.Configuration))
        {
            app.UseWorkloadAuthorization();
        }
    }

    /// <summary>
    /// With mutual TLS, makes the client present this service's identity and accept only the server of
    /// <c>Chain:ExpectedServerId</c> or, without it, each endpoint with the identity it registered.
    /// </summary>
    public static IHttpClientBuilder AddCascadeIdentity(this IHttpClientBuilder client, IConfiguration configuration) =>
        configuration["Chain:ExpectedServerId"] is { Length: > 0 } expected ? client.AddWorkloadIdentity(expected).PreferHttp2()
        : UsesMutualTls(configuration) ? client.AddWorkloadIdentity().PreferHttp2()
        : client;

    /// <summary>
    /// Sends over HTTP/2 when the server offers it (every cascade service does, over TLS), else HTTP/1.1.
    /// </summary>
    /// <remarks>
    /// A workload identity makes a full mutual TLS handshake on every new connection (no session resumption, so a
    /// rotated or distrusted certificate is never skipped), which costs milliseconds of CPU on both ends. Over HTTP/1.1
    /// every concurrent request needs a connection of its own, and every request a time limit cancels closes its
    /// connection; on a busy machine the handshakes for the replacements slow the hop past its time limit, which cancels
    /// more requests: a storm that outlasts its cause. HTTP/2 carries the requests as streams of a few connections, and
    /// a cancelled request resets only its stream.
    /// </remarks>
    public static IHttpClientBuilder PreferHttp2(this IHttpClientBuilder client)
    {
        // <cascade-http-version>
        // HTTP/2 where the server offers it by ALPN, HTTP/1.1 where it does not.
        client.ConfigureHttpClient(static http =>
        {
            http.DefaultRequestVersion = HttpVersion.Version20;
            http.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrLower;
        });
        // </cascade-http-version>
        return client;
    }

    /// <summary>The first address of <c>Urls</c>, such as <c>https://127.0.0.1:0</c>.</summary>
    private static Uri ListenUrl(string? urls)
    {
        _ = urls ?? throw new InvalidOperationException("Identity is configured, so Urls must name the address to serve mutual TLS on.");
        string first = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];
        return Uri.TryCreate(first, UriKind.Absolute, out Uri? url)
            ? url
            : throw new InvalidOperationException($"Urls is '{urls}', but its first address must be a URL such as https://127.0.0.1:5103.");
    }

    private static IPAddress Address(Uri url) =>
        IPAddress.TryParse(url.DnsSafeHost, out IPAddress? address) ? address
        : url.IsLoopback ? IPAddress.Loopback
        : IPAddress.Any;
}
