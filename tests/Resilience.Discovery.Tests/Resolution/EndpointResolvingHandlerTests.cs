using Resilience.Discovery.Tests.Integration;

namespace Resilience.Discovery.Tests.Resolution;

public sealed class EndpointResolvingHandlerTests
{
    [EtcdFact]
    public async Task SendAsync_TwoRegisteredInstances_ServesThemAlternately()
    {
        await using EtcdServer etcd = await EtcdServer.StartAsync();
        await using InventoryInstance a = await InventoryInstance.StartAsync(etcd, "a");
        await using InventoryInstance b = await InventoryInstance.StartAsync(etcd, "b");
        await using var client = new DiscoveryClient(etcd);
        await client.WaitForAsync(set => DiscoveryClient.Has(set, a) && DiscoveryClient.Has(set, b));
        HttpClient http = client.CreateClient();

        var answers = new List<string>();
        for (int i = 0; i < 6; i++)
        {
            answers.Add(await http.GetStringAsync("/who"));
        }

        answers.Should().OnlyContain(name => name == "a" || name == "b");
        answers.Zip(answers.Skip(1)).Should().OnlyContain(pair => pair.First != pair.Second, "round robin alternates between the two instances");
        a.Requests.Should().Be(3);
        b.Requests.Should().Be(3);
    }
}
