using Resilience.Discovery.Tests.Integration;

namespace Resilience.Discovery.Tests.Etcd;

public sealed class EtcdConnectionTests
{
    [EtcdFact]
    public async Task HeadersAsync_AuthenticationEnabled_RegistersAndWatchesWithAToken()
    {
        await using EtcdServer etcd = await EtcdServer.StartAsync();
        await etcd.EnableAuthenticationAsync("secret");
        static void Root(EtcdDiscoveryOptions o)
        {
            o.Username = "root";
            o.Password = "secret";
        }

        await using InventoryInstance a = await InventoryInstance.StartAsync(etcd, "a", etcdOptions: Root);
        await using var client = new DiscoveryClient(etcd, etcdOptions: Root);

        (EndpointSet set, _) = await client.WaitForAsync(s => DiscoveryClient.Has(s, a));
        string answer = await client.CreateClient().GetStringAsync("/who");

        set.Endpoints.Should().ContainSingle();
        answer.Should().Be("a");
    }
}
