using Resilience.Discovery.Tests.Integration;

namespace Resilience.Discovery.Tests.Etcd;

public sealed class EtcdServiceEndpointProviderTests
{
    [EtcdFact]
    public async Task PopulateAsync_HttpsAndHttpInstances_PrefersTheNamesFirstScheme()
    {
        await using EtcdServer etcd = await EtcdServer.StartAsync();
        await using InventoryInstance plain = await InventoryInstance.StartAsync(etcd, "plain");
        await using InventoryInstance secure = await InventoryInstance.StartAsync(etcd, "secure", registration: o => o.Address = new Uri("https://secure.example:8443"));
        await using var client = new DiscoveryClient(etcd) { ServiceName = "https+http://inventory" };

        (EndpointSet preferred, _) = await client.WaitForAsync(s => s.Endpoints.Count > 0);
        client.ServiceName = "http://inventory";
        (EndpointSet httpOnly, _) = await client.WaitForAsync(s => s.Endpoints.Count > 0);

        preferred.Endpoints.Should().ContainSingle().Which.Address.Should().Be(new Uri("https://secure.example:8443/"));
        httpOnly.Endpoints.Should().ContainSingle().Which.Address.Authority.Should().Be(plain.Address.Authority);
    }
}
