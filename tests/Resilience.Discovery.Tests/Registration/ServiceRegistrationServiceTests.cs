using Etcdserverpb;
using Microsoft.Extensions.DependencyInjection;
using Resilience.Discovery.Internal;
using Resilience.Discovery.Tests.Integration;

namespace Resilience.Discovery.Tests.Registration;

public sealed class ServiceRegistrationServiceTests
{
    [EtcdFact]
    public async Task KeepAlive_InstanceKilled_RemovedAtLeaseExpiry()
    {
        var ttl = TimeSpan.FromSeconds(2);
        await using EtcdServer etcd = await EtcdServer.StartAsync();
        await using InventoryInstance a = await InventoryInstance.StartAsync(etcd, "a", ttl);
        await using var client = new DiscoveryClient(etcd);
        await client.WaitForAsync(s => DiscoveryClient.Has(s, a));
        await WaitForKeepAliveAsync(etcd, a.EtcdRegistration.LeaseId, ttl);

        await a.CrashAsync();
        (EndpointSet set, TimeSpan elapsed) = await client.WaitForAsync(s => !DiscoveryClient.Has(s, a));

        set.Endpoints.Should().BeEmpty();
        elapsed.Should().BeLessThan(ttl + TimeSpan.FromSeconds(2), "etcd removes the key when the lease expires, at most a TTL after the last keep-alive");
    }

    [EtcdFact]
    public async Task PublishAsync_Unhealthy_RemovesTheInstanceAndRestoresItWhenHealthy()
    {
        await using EtcdServer etcd = await EtcdServer.StartAsync();
        await using InventoryInstance a = await InventoryInstance.StartAsync(etcd, "a");
        await using InventoryInstance b = await InventoryInstance.StartAsync(etcd, "b");
        await using var client = new DiscoveryClient(etcd);
        await client.WaitForAsync(s => DiscoveryClient.Has(s, a) && DiscoveryClient.Has(s, b));

        a.SetHealthy(false);
        (EndpointSet without, _) = await client.WaitForAsync(s => !DiscoveryClient.Has(s, a));
        a.SetHealthy(true);
        (EndpointSet restored, _) = await client.WaitForAsync(s => DiscoveryClient.Has(s, a));

        DiscoveryClient.Has(without, b).Should().BeTrue();
        restored.Endpoints.Should().HaveCount(2);
    }

    [EtcdFact]
    public async Task StartedAsync_NoAddress_RegistersTheServerAddress()
    {
        await using EtcdServer etcd = await EtcdServer.StartAsync();
        await using InventoryInstance a = await InventoryInstance.StartAsync(etcd, "a");

        a.EtcdRegistration.Address.Authority.Should().Be(a.Address.Authority);
        a.EtcdRegistration.Key.Should().StartWith("/services/inventory/");
    }

    [EtcdFact]
    public async Task KeepAlive_LeaseRevokedElsewhere_RegistersAgainUnderANewLease()
    {
        await using EtcdServer etcd = await EtcdServer.StartAsync();
        await using InventoryInstance a = await InventoryInstance.StartAsync(etcd, "a", TimeSpan.FromSeconds(3));
        await using var client = new DiscoveryClient(etcd);
        await client.WaitForAsync(s => DiscoveryClient.Has(s, a));
        long first = a.EtcdRegistration.LeaseId;

        // Revoking the lease deletes the key, as the lease's expiry during a long outage of etcd would.
        await client.Get<EtcdConnection>().Lease.LeaseRevokeAsync(new LeaseRevokeRequest { ID = first });
        await client.WaitForAsync(s => !DiscoveryClient.Has(s, a));
        (EndpointSet back, _) = await client.WaitForAsync(s => DiscoveryClient.Has(s, a));

        back.Endpoints.Should().ContainSingle();
        a.EtcdRegistration.LeaseId.Should().NotBe(first);
    }

    [EtcdFact]
    public async Task StartedAsync_EtcdUnreachable_StartsAndRegistersOnceEtcdIsBack()
    {
        await using EtcdServer etcd = await EtcdServer.StartAsync();
        await etcd.KillAsync();

        await using InventoryInstance a = await InventoryInstance.StartAsync(etcd, "a", TimeSpan.FromSeconds(3));
        await etcd.StartAgainAsync();
        await using var client = new DiscoveryClient(etcd);
        (EndpointSet set, _) = await client.WaitForAsync(s => DiscoveryClient.Has(s, a));

        set.Endpoints.Should().ContainSingle("the keep-alive loop registered the instance once etcd answered");
    }

    [EtcdFact]
    public async Task StoppingAsync_GracefulStop_DeletesTheKeyBeforeTheServerStopsAccepting()
    {
        await using EtcdServer etcd = await EtcdServer.StartAsync();
        await using InventoryInstance a = await InventoryInstance.StartAsync(etcd, "a");
        await using var client = new DiscoveryClient(etcd);
        await client.WaitForAsync(s => DiscoveryClient.Has(s, a));
        EtcdConnection connection = client.Get<EtcdConnection>();
        var key = EtcdConnection.Key(a.EtcdRegistration.Key);
        long keysWhenStopping = -1;
        string? answerWhenStopping = null;

        // ApplicationStopping fires after the lifecycle services' StoppingAsync and before any StopAsync, the server's included.
        a.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>().ApplicationStopping.Register(() =>
        {
            keysWhenStopping = connection.Kv.Range(new RangeRequest { Key = key, CountOnly = true }).Count;
            using var direct = new HttpClient();
            answerWhenStopping = direct.GetStringAsync(new Uri(a.Address, "/who")).GetAwaiter().GetResult();
        });
        await a.StopAsync();

        keysWhenStopping.Should().Be(0, "the key is deleted first");
        answerWhenStopping.Should().Be("a", "the server still answers requests then");
    }

    [EtcdFact]
    public async Task StartedAsync_ServerOnAWildcardAddress_RegistersTheMachineName()
    {
        await using EtcdServer etcd = await EtcdServer.StartAsync();
        await using InventoryInstance a = await InventoryInstance.StartAsync(etcd, "a", listenOnAny: true);

        a.EtcdRegistration.Address.Host.Should().Be(Environment.MachineName.ToLowerInvariant());
        a.EtcdRegistration.Address.Port.Should().Be(a.Address.Port);
    }

    /// <summary>
    /// Watches the lease for one and a half TTLs, checking that etcd reports it alive throughout: it outlives its TTL
    /// only because keep-alives reach it.
    /// </summary>
    private static async Task WaitForKeepAliveAsync(EtcdServer etcd, long leaseId, TimeSpan ttl)
    {
        var services = new ServiceCollection().AddEtcdServiceDiscovery(o => o.Endpoints.Add(etcd.ClientUrl)).BuildServiceProvider();
        await using (services)
        {
            EtcdConnection connection = services.GetRequiredService<EtcdConnection>();
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            while (System.Diagnostics.Stopwatch.GetElapsedTime(start) < ttl * 1.5)
            {
                LeaseTimeToLiveResponse lease = await connection.Lease.LeaseTimeToLiveAsync(new LeaseTimeToLiveRequest { ID = leaseId });
                lease.TTL.Should().BePositive("the lease is kept alive");
                await Task.Delay(100); // polls the lease's observable state; the loop is bounded by 1.5 TTL
            }
        }
    }
}
