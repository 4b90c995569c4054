using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using System.Diagnostics.Metrics;
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
/// <para>
/// Warehouse runs three instances, each with its own faults. The resilient chain runs Pricing v1 and v2, and its
/// clients of Pricing and Warehouse route through Resilience.Routing (least request, outlier ejection, Inventory's
/// 95/5 split). The plain chain runs the same three Warehouse instances behind service discovery's round robin, and
/// Pricing v1 only: a client without a traffic split has no way to give a canary 5 %. Every Pricing and Warehouse
/// instance counts the requests it receives.
/// </para>
/// </remarks>
internal sealed class ChainHost : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(2);
    private readonly List<WebApplication> _apps = [];
    private readonly List<FaultSwitch> _warehouseFaults = [];
    private readonly List<TrafficCounter> _counters = [];
    private readonly Dictionary<Meter, string> _routingMeters = [];

    private ChainHost(string name) => Name = name;

    /// <summary>Gets the chain's name: <c>resilient</c> or <c>plain</c>.</summary>
    public string Name { get; }

    /// <summary>Gets the address of Order (A).</summary>
    public Uri OrderAddress { get; private set; } = null!;

    /// <summary>Gets the per-attempt time limit of Order's client, as configured.</summary>
    public TimeSpan AttemptTimeout { get; private set; }

    /// <summary>Gets the health checks of Inventory (B), which report the breaker of its client to Pricing (C).</summary>
    public HealthCheckService InventoryHealth { get; private set; } = null!;

    /// <summary>Gets the address of Pricing (C) v1, which the demo calls directly under <c>--mtls</c>.</summary>
    public Uri PricingAddress { get; private set; } = null!;

    /// <summary>Gets the request counters of the Pricing and Warehouse instances, Warehouse's first.</summary>
    public IReadOnlyList<TrafficCounter> Counters => _counters;

    /// <summary>Gets the <c>Resilience.Routing</c> meter of each service whose client routes, with the name of the service
    /// instance (<c>C v1</c>, <c>B</c>), so that ejections can be told apart by the client that decided them.</summary>
    public IReadOnlyDictionary<Meter, string> RoutingMeters => _routingMeters;

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
            var warehouses = new List<Uri>();
            for (int i = 0; i < DemoPhases.WarehouseInstances; i++)
            {
                var faults = new FaultSwitch();
                chain._warehouseFaults.Add(faults);
                var counter = new TrafficCounter("Warehouse (D)", $"D{i + 1}");
                warehouses.Add(await chain.StartServiceAsync(
                    "warehouse", typeof(WarehouseService), counter, o => WarehouseService.Create(o, b => Customize(b, resilient, discovery, identities, new Hop("warehouse", null, []), faults, counter)), cancellationToken).ConfigureAwait(false));
            }

            var pricings = new List<Uri>();
            foreach (string version in resilient ? ["v1", "v2"] : (string[])["v1"])
            {
                var counter = new TrafficCounter("Pricing (C)", "C " + version);
                pricings.Add(await chain.StartServiceAsync(
                    "pricing", typeof(PricingService), counter, o => PricingService.Create(o, b => Customize(b, resilient, discovery, identities, new Hop("pricing", "warehouse", warehouses, version), null, counter)), cancellationToken).ConfigureAwait(false));
            }

            chain.PricingAddress = pricings[0];
            Uri inventory = await chain.StartServiceAsync(
                "inventory", typeof(InventoryService), null, o => InventoryService.Create(o, b => Customize(b, resilient, discovery, identities, new Hop("inventory", "pricing", pricings), null, null)), cancellationToken).ConfigureAwait(false);
            chain.InventoryHealth = chain._apps[^1].Services.GetRequiredService<HealthCheckService>();
            chain.OrderAddress = await chain.StartServiceAsync(
                "order", typeof(OrderService), null, o => OrderService.Create(o, b => Customize(b, resilient, discovery, identities, new Hop("order", "inventory", [inventory]), null, null)), cancellationToken).ConfigureAwait(false);
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

    /// <summary>Sets the faults of each Warehouse (D) instance for <paramref name="phase"/>; they apply from its next request.</summary>
    public void SetFaults(DemoPhase phase)
    {
        ArgumentNullException.ThrowIfNull(phase);
        for (int i = 0; i < _warehouseFaults.Count; i++)
        {
            _warehouseFaults[i].Set(phase.FaultsOf(i));
        }
    }

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

    private async Task<Uri> StartServiceAsync(string service, Type serviceType, TrafficCounter? counter, Func<WebApplicationOptions, WebApplication> create, CancellationToken cancellationToken)
    {
        WebApplication app = create(new WebApplicationOptions
        {
            // The service's own appsettings.json, not one of the four that share that name in the demo's output.
            ContentRootPath = Path.Combine(AppContext.BaseDirectory, "services", service),
            ApplicationName = serviceType.Assembly.GetName().Name,
        });
        _apps.Add(app);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        // The meter factory returns its one meter of a name: the one the routing's outlier detection counts ejections on.
        _routingMeters[app.Services.GetRequiredService<IMeterFactory>().Create(new MeterOptions("Resilience.Routing"))] = counter?.Name ?? char.ToUpperInvariant(service[0]) + service[1..];
        string address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        if (counter is not null)
        {
            _counters.Add(counter);
            counter.Address = address.TrimEnd('/');
        }

        return new Uri(address.EndsWith('/') ? address : address + "/");
    }

    private static void Customize(WebApplicationBuilder builder, bool resilient, Discovery discovery, DemoIdentities? identities, Hop hop, FaultSwitch? faults, TrafficCounter? counter)
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
        else if (hop.Next == "inventory")
        {
            overrides["Services:Inventory"] = hop.NextAddresses[0].ToString();
        }
        else if (hop.Next is not null)
        {
            // Every instance of the next service, read by the configuration provider of service discovery.
            string scheme = identities is null ? "http" : "https";
            for (int i = 0; i < hop.NextAddresses.Count; i++)
            {
                overrides[$"Services:{hop.Next}:{scheme}:{i}"] = Authority(hop.NextAddresses[i]);
            }
        }

        if (hop.Version is not null)
        {
            overrides["Chain:Version"] = hop.Version;
        }

        if (resilient && hop.Next == "pricing" && hop.NextAddresses.Count == 2)
        {
            CanarySplit(overrides, discovery.Etcd is not null, hop.NextAddresses[0], hop.NextAddresses[1]);
        }

        if (identities is not null)
        {
            // Its own identity (see samples/Cascade/CascadeIdentity.cs). On etcd each instance registers its SPIFFE ID
            // and clients expect every endpoint's registered one; with fixed addresses each client pins the next service's.
            foreach ((string key, string? value) in identities.Configuration(hop.Service))
            {
                overrides[key] = value;
            }

            if (discovery.Etcd is not null)
            {
                overrides["Chain:Identity"] = DemoIdentities.SpiffeId(hop.Service);
            }
            else if (hop.Next is not null)
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

        if (counter is not null)
        {
            builder.Services.AddSingleton<IStartupFilter>(counter);
        }
    }

    /// <summary>Inventory's split of its calls to Pricing between v1 and the canary v2.</summary>
    private static void CanarySplit(Dictionary<string, string?> overrides, bool etcd, Uri v1, Uri v2)
    {
        // <cascade-split>
        // 95 % of Inventory's calls to Pricing go to v1, 5 % to the canary v2. In etcd each Pricing instance registers
        // its version (Chain:Version); the configuration provider's endpoints carry no label, so there a subset lists
        // the addresses of its instances.
        if (etcd)
        {
            overrides["Routing:pricing:Split:Subsets:v1:Version"] = "v1";
            overrides["Routing:pricing:Split:Subsets:v2:Version"] = "v2";
        }
        else
        {
            overrides["Routing:pricing:Split:Subsets:v1:Addresses:0"] = Authority(v1);
            overrides["Routing:pricing:Split:Subsets:v2:Addresses:0"] = Authority(v2);
        }

        overrides["Routing:pricing:Split:Destinations:0:Subset"] = "v1";
        overrides["Routing:pricing:Split:Destinations:0:Weight"] = $"{100 - DemoPhases.CanaryPercent}";
        overrides["Routing:pricing:Split:Destinations:1:Subset"] = "v2";
        overrides["Routing:pricing:Split:Destinations:1:Weight"] = $"{DemoPhases.CanaryPercent}";
        // </cascade-split>
    }

    private static string Authority(Uri address) => address.GetLeftPart(UriPartial.Authority);

    /// <summary>A service of the chain: its service account, the next service's account and addresses, if any, and its version.</summary>
    private sealed record Hop(string Service, string? Next, IReadOnlyList<Uri> NextAddresses, string? Version = null);

    /// <summary>The registry of a chain, or none, and the chain's key prefix in it.</summary>
    private sealed record Discovery(Uri? Etcd, string Prefix);
}
