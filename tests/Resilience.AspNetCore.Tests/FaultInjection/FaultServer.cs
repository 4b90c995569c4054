using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Resilience.AspNetCore.Tests.FaultInjection;

/// <summary>A Kestrel server on a free loopback port: fault injection in front of an endpoint that counts its calls.</summary>
internal sealed class FaultServer : IAsyncDisposable
{
    public const string Body = "stock";

    private readonly WebApplication _app;
    private readonly TaskCompletionSource<Exception?> _firstRequestFinished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _endpointCalls;

    private FaultServer(Action<IServiceCollection> configureServices)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        configureServices(builder.Services);
        _app = builder.Build();
        _app.Use(RecordFinishAsync);
        _app.UseFaultInjection();
        _app.Run(context =>
        {
            Interlocked.Increment(ref _endpointCalls);
            return context.Response.WriteAsync(Body);
        });
    }

    public int EndpointCalls => Volatile.Read(ref _endpointCalls);

    public HttpClient Client { get; } = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>Completes when the server has finished with the first request, with the exception it ended with, if any.</summary>
    public Task<Exception?> FirstRequestFinished => _firstRequestFinished.Task.WaitAsync(TimeSpan.FromSeconds(10));

    public IServiceProvider Services => _app.Services;

    public static async Task<FaultServer> StartAsync(Action<IServiceCollection> configureServices)
    {
        var server = new FaultServer(configureServices);
        try
        {
            await server._app.StartAsync();
            string address = server._app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
            server.Client.BaseAddress = new Uri(address);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
    }

    private async Task RecordFinishAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context);
            _firstRequestFinished.TrySetResult(null);
        }
        catch (Exception e)
        {
            _firstRequestFinished.TrySetResult(e);
            throw;
        }
    }
}
