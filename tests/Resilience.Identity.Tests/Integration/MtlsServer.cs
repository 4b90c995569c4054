using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Resilience.Identity.Tests.Integration;

/// <summary>
/// Kestrel on a loopback port with a workload identity: every request answers the caller's <c>spiffe_id</c> claim.
/// It counts TCP connections (before TLS) and requests, and records the serial of each request's client certificate.
/// </summary>
internal sealed class MtlsServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _connections;
    private int _requests;

    private MtlsServer(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public int Connections => Volatile.Read(ref _connections);

    public int Requests => Volatile.Read(ref _requests);

    public ConcurrentQueue<string> ClientSerials { get; } = new();

    public WorkloadIdentityProvider Identity => _app.Services.GetRequiredService<WorkloadIdentityProvider>();

    public static async Task<MtlsServer> StartAsync(WorkloadIdentityOptions files)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        MtlsServer? server = null;
        // Counts TCP connections before TLS, on every endpoint.
        builder.WebHost.ConfigureKestrel(k => k.ConfigureEndpointDefaults(listen => listen.Use(next => connection =>
        {
            Interlocked.Increment(ref server!._connections);
            return next(connection);
        })));
        // <server>
        builder.Services.AddWorkloadIdentity(o =>
        {
            o.CertificateFile = files.CertificateFile;
            o.KeyFile = files.KeyFile;
            o.TrustBundleFile = files.TrustBundleFile;
        });
        builder.Services.AddAuthentication(WorkloadIdentityAuthenticationBuilderExtensions.AuthenticationScheme).AddWorkloadIdentity();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseWorkloadIdentity()));
        WebApplication app = builder.Build();
        app.UseAuthentication();
        // The caller's SPIFFE ID: context.User.FindFirst(SpiffeId.ClaimType)?.Value
        // </server>
        server = new MtlsServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.BaseAddress = new Uri(address.Replace("127.0.0.1", "localhost", StringComparison.Ordinal) + "/");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        if (context.Connection.ClientCertificate is { } certificate)
        {
            ClientSerials.Enqueue(certificate.SerialNumber);
        }

        return context.Response.WriteAsync(context.User.FindFirst(SpiffeId.ClaimType)?.Value ?? "(none)");
    }
}
