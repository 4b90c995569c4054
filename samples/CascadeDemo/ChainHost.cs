using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace CascadeDemo;

/// <summary>One chain of the four services, Order (A) → Inventory (B) → Pricing (C) → Warehouse (D), in this process on loopback.</summary>
/// <remarks>
/// Each service is built by its own sample's <c>Create</c> method from its own appsettings.json (copied by the demo's
/// project to <c>services/{name}/</c>), and the demo overrides only what a chain needs: an ephemeral port, the
/// address of the next service, and whether the clients are resilient. Services start from the end of the chain,
/// so each knows the address of the next. With an etcd registry, each service registers itself there instead, under
/// a key prefix of its own chain, and resolves the next one by its logical name (<c>http://inventory</c>, …). With
/// workload identities (<c>--mtls</c>), each service serves HTTPS with its own identity, requires client certificates,
/// calls the next one expecting its SPIFFE ID, and Pricing adds the policy of <c>pricing-policy.json</c>.
/// </remarks>
internal sealed class ChainHost : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(2);
    private readonly List<WebApplication> _apps = [];
    private readonly FaultSwitch _faults = new();

    private ChainHost(string name) => Name = name;

    /// <summary>Gets the chain's name: <c>resilient</c> or <c>plain</c>.</summary>
    public string Name { get; }

    /// <summary>Gets the address of Order (A).</summary>
    public Uri OrderAddress { get; private set; } = null!;

    /// <summary>Gets the per-attempt time limit of Order's client, as configured.</summary>
    public TimeSpan AttemptTimeout { get; private set; }

    /// <summary>Gets the health checks of Inventory (B), which report the breaker of its client to Pricing (C).</summary>
    public HealthCheckService InventoryHealth { get; private set; } = null!;

    /// <summary>Gets the address of Pricing (C), which the demo calls directly under <c>--mtls</c>.</summary>
    public Uri PricingAddress { get; private set; } = null!;

    /// <summary>Starts the four services of a chain.</summary>
    /// <param name="name">The chain's name.</param>
    /// <param name="resilient">Whether the clients are resilient.</param>
    /// <param name="etcd">The etcd registry the services register in and resolve each other from; <see langword="null"/> for fixed addresses from configuration.</param>
    /// <param name="identities">With <c>--mtls</c>, the services' workload identities; <see langword="null"/> for plain HTTP.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<ChainHost> StartAsync(string name, bool resilient, Uri? etcd, DemoIdentities? identities, CancellationToken cancellationToken)
    {
        var chain = new ChainHost(name);
        // One prefix per chain and run: the two chains register services of the same names, and a previous run's
        // keys may still be waiting for their lease to expire.
        Discovery discovery = new(etcd, $"/cascade-demo/{Guid.NewGuid():N}/{name}/");
        try
        {
            Uri warehouse = await chain.StartServiceAsync(
                "warehouse", typeof(WarehouseService), o => WarehouseService.Create(o, b => Customize(b, resilient, discovery, identities, new Hop("warehouse", null, null), chain._faults)), cancellationToken).ConfigureAwait(false);
            chain.PricingAddress = await chain.StartServiceAsync(
                "pricing", typeof(PricingService), o => PricingService.Create(o, b => Customize(b, resilient, discovery, identities, new Hop("pricing", "warehouse", warehouse), null)), cancellationToken).ConfigureAwait(false);
            Uri inventory = await chain.StartServiceAsync(
                "inventory", typeof(InventoryService), o => InventoryService.Create(o, b => Customize(b, resilient, discovery, identities, new Hop("inventory", "pricing", chain.PricingAddress), null)), cancellationToken).ConfigureAwait(false);
            chain.InventoryHealth = chain._apps[^1].Services.GetRequiredService<HealthCheckService>();
            chain.OrderAddress = await chain.StartServiceAsync(
                "order", typeof(OrderService), o => OrderService.Create(o, b => Customize(b, resilient, discovery, identities, new Hop("order", "inventory", inventory), null)), cancellationToken).ConfigureAwait(false);
            chain.AttemptTimeout = chain._apps[^1].Configuration.GetValue<TimeSpan?>("Resilience:TimeLimiter:Instances:inventory:TimeoutDuration")
                ?? TimeSpan.FromSeconds(10); // the library's default per-attempt limit
            return chain;
        }
        catch
        {
            await chain.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Sets the faults of Warehouse (D); they apply from its next request.</summary>
    public void SetFaults(IReadOnlyDictionary<string, string?> faults) => _faults.Set(faults);

    /// <summary>Stops the services, the front first, each given a short time to finish what it is doing.</summary>
    public async ValueTask DisposeAsync()
    {
        for (int i = _apps.Count - 1; i >= 0; i--)
        {
            using var timeout = new CancellationTokenSource(StopTimeout);
            try
            {
                await _apps[i].StopAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopping ran out of time: the server has aborted what was left.
            }

            await _apps[i].DisposeAsync().ConfigureAwait(false);
        }

        _apps.Clear();
    }

    private async Task<Uri> StartServiceAsync(string service, Type serviceType, Func<WebApplicationOptions, WebApplication> create, CancellationToken cancellationToken)
    {
        WebApplication app = create(new WebApplicationOptions
        {
            // The service's own appsettings.json, not one of the four that share that name in the demo's output.
            ContentRootPath = Path.Combine(AppContext.BaseDirectory, "services", service),
            ApplicationName = serviceType.Assembly.GetName().Name,
        });
        _apps.Add(app);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        string address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new Uri(address.EndsWith('/') ? address : address + "/");
    }

    private static void Customize(WebApplicationBuilder builder, bool resilient, Discovery discovery, DemoIdentities? identities, Hop hop, FaultSwitch? faults)
    {
        builder.Logging.ClearProviders(); // eight services would drown the demo's own output
        var overrides = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Urls"] = identities is null ? "http://127.0.0.1:0" : "https://127.0.0.1:0",
            ["Chain:Resilient"] = resilient ? "true" : "false",
        };
        if (discovery.Etcd is not null)
        {
            // Each service registers itself; the next service's fixed address is not used.
            overrides["Discovery:Mode"] = "etcd";
            overrides["Discovery:Etcd:Endpoints:0"] = discovery.Etcd.ToString();
            overrides["Discovery:Etcd:Prefix"] = discovery.Prefix;
        }
        else if (hop.Next is not null)
        {
            overrides["Services:" + char.ToUpperInvariant(hop.Next[0]) + hop.Next[1..]] = hop.NextAddress!.ToString();
        }

        if (identities is not null)
        {
            // Its own identity (see samples/Cascade/CascadeIdentity.cs), and the next service's SPIFFE ID.
            foreach ((string key, string? value) in identities.Configuration(hop.Service))
            {
                overrides[key] = value;
            }

            if (hop.Next is not null)
            {
                overrides["Chain:ExpectedServerId"] = DemoIdentities.SpiffeId(hop.Next);
            }
        }

        builder.Configuration.AddInMemoryCollection(overrides);
        if (identities is not null && hop.Service == "pricing")
        {
            // Only Inventory (B) may call Pricing (C): Authorization:Policies, in Istio's shape.
            builder.Configuration.AddJsonFile("pricing-policy.json", optional: false, reloadOnChange: false);
        }

        if (faults is not null)
        {
            ((IConfigurationBuilder)builder.Configuration).Add(faults);
        }
    }

    /// <summary>A service of the chain: its service account, and the next service's account and address, if any.</summary>
    private sealed record Hop(string Service, string? Next, Uri? NextAddress);

    /// <summary>The registry of a chain, or none, and the chain's key prefix in it.</summary>
    private sealed record Discovery(Uri? Etcd, string Prefix);
}
