using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PackageConsumer;

/// <summary>A Kestrel service on a loopback ephemeral port whose fault injection (Resilience4Net.AspNetCore) fails every request on demand.</summary>
internal sealed class FlakyService : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requestsReceived;

    private FlakyService(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Gets the number of requests that reached the service (the fault injection counts as reaching it).</summary>
    public int RequestsReceived => Volatile.Read(ref _requestsReceived);

    public static async Task<FlakyService> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Faults:AbortPercentage"] = "0" });

        // <package-aspnetcore>
        // Aborts (503) or delays a share of the requests; a configuration reload changes the faults of the running service.
        builder.Services.AddFaultInjection(builder.Configuration.GetSection("Faults"));
        // </package-aspnetcore>

        WebApplication app = builder.Build();
        var service = new FlakyService(app);
        app.Use((context, next) =>
        {
            Interlocked.Increment(ref service._requestsReceived);
            return next(context);
        });

        // <package-aspnetcore-use>
        app.UseFaultInjection(); // before the endpoints whose requests it delays or aborts
        // </package-aspnetcore-use>

        app.MapGet("/items/{id:int}", (int id) => new { id, stock = 3 });
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        service.BaseAddress = new Uri(address + "/");
        return service;
    }

    /// <summary>Makes every request fail with 503 (<paramref name="failing"/>) or pass, through a configuration reload.</summary>
    public void Fail(bool failing)
    {
        _app.Configuration["Faults:AbortPercentage"] = failing ? "100" : "0";
        ((IConfigurationRoot)_app.Configuration).Reload();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
