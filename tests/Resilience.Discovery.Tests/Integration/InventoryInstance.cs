using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Resilience.Discovery.Internal;

namespace Resilience.Discovery.Tests.Integration;

/// <summary>
/// One instance of the <c>inventory</c> service: a Kestrel server on a loopback ephemeral port that answers
/// <c>GET /who</c> with its <see cref="Name"/> (and <c>/fail</c> with 503 while <see cref="Failing"/>), registered in
/// etcd by <c>AddServiceRegistration("inventory")</c>, with a health check the test turns on and off.
/// </summary>
internal sealed class InventoryInstance : IAsyncDisposable
{
    public const string Service = "inventory";
    private readonly WebApplication _app;
    private volatile bool _healthy = true;
    private int _requests;

    private InventoryInstance(WebApplication app, string name)
    {
        _app = app;
        Name = name;
    }

    public string Name { get; }

    /// <summary>Gets the address the server listens on, such as <c>http://127.0.0.1:41234</c>.</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>Gets or sets whether <c>/fail</c> answers 503.</summary>
    public bool Failing { get; set; }

    /// <summary>Gets the requests the instance answered.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Gets the instance's services.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Gets the etcd registration of the instance.</summary>
    public EtcdInstanceRegistration EtcdRegistration => Registration.Registration!;

    private ServiceRegistrationService Registration => _app.Services.GetRequiredKeyedService<ServiceRegistrationService>(Service);

    /// <summary>
    /// Starts an instance; without <paramref name="etcd"/> it registers nowhere (for configuration and pass-through
    /// tests). <paramref name="listen"/> configures the listener, such as <c>UseWorkloadIdentity()</c> for mutual TLS,
    /// and <paramref name="services"/> adds what it needs.
    /// </summary>
    public static async Task<InventoryInstance> StartAsync(
        EtcdServer? etcd,
        string name,
        TimeSpan? ttl = null,
        Action<ServiceRegistrationOptions>? registration = null,
        Action<EtcdDiscoveryOptions>? etcdOptions = null,
        bool listenOnAny = false,
        Action<Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions>? listen = null,
        Action<IServiceCollection>? services = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        services?.Invoke(builder.Services);
        // Every interface, as a container's service does (0.0.0.0), or loopback only; requests stay on loopback either way.
        builder.WebHost.UseKestrel(o => o.Listen(listenOnAny ? IPAddress.Any : IPAddress.Loopback, 0, l => listen?.Invoke(l)));
        if (etcd is not null)
        {
            builder.Services.AddEtcdServiceDiscovery(o =>
            {
                o.Endpoints.Add(etcd.ClientUrl);
                o.Ttl = ttl ?? TimeSpan.FromSeconds(5);
                etcdOptions?.Invoke(o);
            });
            builder.Services.AddServiceRegistration(Service, registration);
        }

        InventoryInstance? instance = null;
        builder.Services.AddHealthChecks().AddCheck("toggle", () => instance!._healthy ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("turned off by the test"));
        builder.Services.Configure<HealthCheckPublisherOptions>(o =>
        {
            o.Delay = TimeSpan.Zero;
            o.Period = TimeSpan.FromSeconds(1);
        });
        WebApplication app = builder.Build();
        instance = new InventoryInstance(app, name);
        app.MapGet("/who", () =>
        {
            Interlocked.Increment(ref instance._requests);
            return name;
        });
        app.MapGet("/fail", (HttpContext context) =>
        {
            Interlocked.Increment(ref instance._requests);
            return instance.Failing ? Results.StatusCode(StatusCodes.Status503ServiceUnavailable) : Results.Text(name);
        });
        await app.StartAsync();
        instance.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return instance;
    }

    /// <summary>Turns the health check on or off; the publisher reports it within its period.</summary>
    public void SetHealthy(bool healthy) => _healthy = healthy;

    /// <summary>Stops keeping the lease alive without removing the key, as a killed process would.</summary>
    public Task CrashAsync() => Registration.Registration!.AbandonAsync();

    /// <summary>Graceful stop: the key is deleted, then the server stops.</summary>
    public async Task StopAsync() => await _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
