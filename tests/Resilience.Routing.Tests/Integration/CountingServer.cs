using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Resilience.Routing.Tests.Integration;

/// <summary>A Kestrel server on a loopback ephemeral port that counts the requests it answers (<c>GET /who</c>), with 200 or the status it is given.</summary>
internal sealed class CountingServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private CountingServer(WebApplication app) => _app = app;

    /// <summary>Gets the address, such as <c>http://127.0.0.1:41234</c>.</summary>
    public string Address { get; private set; } = null!;

    public int Requests => Volatile.Read(ref _requests);

    public static async Task<CountingServer> StartAsync(HttpStatusCode status = HttpStatusCode.OK)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        WebApplication app = builder.Build();
        var server = new CountingServer(app);
        app.MapGet("/who", () =>
        {
            Interlocked.Increment(ref server._requests);
            return Results.Text("ok", statusCode: (int)status);
        });
        await app.StartAsync();
        server.Address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
