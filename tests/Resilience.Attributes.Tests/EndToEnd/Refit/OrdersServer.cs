using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Resilience.Attributes.Tests.EndToEnd.Refit;

/// <summary>
/// A Kestrel server on a loopback port: each path answers the statuses scripted for it, in order, then 200 with the
/// JSON body set for it; every request is counted per path.
/// </summary>
internal sealed class OrdersServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<(int Status, string? RetryAfter)>> _scripts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _bodies = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _requests = new(StringComparer.Ordinal);

    private OrdersServer(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<OrdersServer> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        WebApplication app = builder.Build();
        var server = new OrdersServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return server;
    }

    /// <summary>Answers <paramref name="path"/> with these statuses first (with <c>Retry-After</c> when given), then 200 with <paramref name="body"/>.</summary>
    public void Script(string path, string body, params (int Status, string? RetryAfter)[] failures)
    {
        _bodies[path] = body;
        _scripts[path] = new ConcurrentQueue<(int, string?)>(failures);
    }

    /// <summary>Gets how many requests reached <paramref name="path"/>.</summary>
    public int Requests(string path) => _requests.GetValueOrDefault(path);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        string path = context.Request.Path.Value ?? string.Empty;
        _requests.AddOrUpdate(path, 1, static (_, n) => n + 1);
        if (_scripts.TryGetValue(path, out var script) && script.TryDequeue(out var failure))
        {
            if (failure.RetryAfter is not null)
            {
                context.Response.Headers.RetryAfter = failure.RetryAfter;
            }

            context.Response.StatusCode = failure.Status;
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(_bodies.GetValueOrDefault(path, "{}"));
    }
}
