using Etcdserverpb;
using Microsoft.Extensions.DependencyInjection;
using Resilience.Discovery.Internal;
using Resilience.Discovery.Tests.Integration;

namespace Resilience.Discovery.Tests.Registration;

public sealed class EtcdInstanceRegistrationTests
{
    [EtcdFact]
    public async Task KeepAlive_InstanceKilled_RemovedAtLeaseExpiry()
    {
        var ttl = TimeSpan.FromSeconds(2);
        await using EtcdServer etcd = await EtcdServer.StartAsync();
        await using InventoryInstance a = await InventoryInstance.StartAsync(etcd, "a", ttl);
        await using var client = new DiscoveryClient(etcd);
        await client.WaitForAsync(s => DiscoveryClient.Has(s, a));
        long lease = a.EtcdRegistration.LeaseId;
        await WaitForKeepAliveAsync(etcd, lease, ttl);
        a.EtcdRegistration.LeaseId.Should().Be(lease, "the first lease never expired, so the instance never registered again");

        await a.CrashAsync();
        (EndpointSet set, TimeSpan elapsed) = await client.WaitForAsync(s => !DiscoveryClient.Has(s, a));

        set.Endpoints.Should().BeEmpty();
        elapsed.Should().BeLessThan(ttl + TimeSpan.FromSeconds(2), "etcd removes the key when the lease expires, at most a TTL after the last keep-alive");
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

    /// <summary>
    /// Watches the lease for one and a half TTLs, checking that etcd reports it alive throughout: it outlives its TTL
    /// only because keep-alives reach it.
    /// </summary>
    /// <remarks>
    /// etcd answers a lease's remaining time in whole seconds, so a lease at its deadline reads 0, and -1 once it is
    /// gone. With a 2 s TTL kept alive every third of it, a keep-alive that a busy machine delays by a second can leave
    /// 0 while the next keep-alive is on its way. A lease that really expires is revoked, and the instance then
    /// registers under a new lease, which the caller checks.
    /// </remarks>
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
                lease.TTL.Should().BeGreaterThanOrEqualTo(0, "the lease is kept alive");
                await Task.Delay(100); // polls the lease's observable state; the loop is bounded by 1.5 TTL
            }
        }
    }
}
