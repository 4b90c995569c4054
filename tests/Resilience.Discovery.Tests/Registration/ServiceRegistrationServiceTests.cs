using Etcdserverpb;
using Microsoft.Extensions.DependencyInjection;
using Resilience.Discovery.Internal;
using Resilience.Discovery.Tests.Integration;

namespace Resilience.Discovery.Tests.Registration;

public sealed class ServiceRegistrationServiceTests
{
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
}
