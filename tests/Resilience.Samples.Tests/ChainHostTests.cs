using System.Text.Json;
using CascadeDemo;
using Resilience.Discovery.Tests.Integration;

namespace Resilience.Samples.Tests;

/// <summary>The demo's chains with <c>--discovery etcd</c>, against a real etcd.</summary>
[Collection(DemoChainsGroup.Name)]
public sealed class ChainHostTests
{
    private const int FullAnswersInARow = 10;
    private static readonly TimeSpan WarmUpLimit = TimeSpan.FromSeconds(30);

    [EtcdFact]
    public async Task StartAsync_EtcdDiscovery_EachChainReachesItsOwnServicesByLogicalName()
    {
        await using EtcdServer etcd = await EtcdServer.StartAsync();
        var registry = new Uri(etcd.ClientUrl);
        await using ChainHost resilient = await ChainHost.StartAsync("resilient", resilient: true, registry, identities: null, CancellationToken.None);
        await using ChainHost plain = await ChainHost.StartAsync("plain", resilient: false, registry, identities: null, CancellationToken.None);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };

        // In etcd mode a client's base address is http://inventory/ (and so on), which only the registry resolves:
        // a full answer went through every hop by logical name. The fixed addresses in appsettings.json
        // (localhost:5102, …) have nothing listening.
        foreach (ChainHost chain in new[] { resilient, plain })
        {
            await WarmUpAsync(http, chain);
            for (int id = 1; id <= 3; id++)
            {
                using JsonDocument order = JsonDocument.Parse(await http.GetStringAsync(new Uri(chain.OrderAddress, $"orders/{id}")));

                order.RootElement.GetProperty("degraded").GetBoolean().Should().BeFalse(chain.Name);
                order.RootElement.GetProperty("quantity").GetInt32().Should().BePositive(chain.Name);
            }
        }
    }

    [EtcdFact]
    public async Task StartAsync_EtcdDiscoveryWithMutualTls_ResolvesHttpsInstancesAndCallsThemWithIdentities()
    {
        await using EtcdServer etcd = await EtcdServer.StartAsync();
        using DemoIdentities identities = DemoIdentities.Create();
        await using ChainHost chain = await ChainHost.StartAsync("resilient", resilient: true, new Uri(etcd.ClientUrl), identities, CancellationToken.None);
        using var http = new HttpClient(identities.CreateHandler(DemoIdentities.LoadGenerator, "order")) { Timeout = TimeSpan.FromSeconds(20) };

        // With mutual TLS the clients name https://inventory/ (and so on): only the instances registered with their
        // https address match. No client pins an ID: each checks every endpoint against the SPIFFE ID it registered, so
        // an answer that is not degraded means every hop found its next one's registered identity.
        await WarmUpAsync(http, chain);
        using JsonDocument order = JsonDocument.Parse(await http.GetStringAsync(new Uri(chain.OrderAddress, "orders/1")));

        chain.OrderAddress.Scheme.Should().Be("https");
        order.RootElement.GetProperty("degraded").GetBoolean().Should().BeFalse();
        order.RootElement.GetProperty("quantity").GetInt32().Should().BePositive();
    }

    /// <summary>
    /// Sends requests one after another until <see cref="FullAnswersInARow"/> in a row come back in full, as the demo's own
    /// warm-up does, and fails if that takes longer than <see cref="WarmUpLimit"/>. The first requests through a new
    /// chain pay for JIT compilation, the first resolution from etcd, each service's first request and, with mutual
    /// TLS, a handshake on every hop. The resilient chain spreads its calls over two Pricing and three Warehouse
    /// instances, so one warm request does not warm them all, and a cold one on a busy two-core machine can outlast
    /// Pricing's 250 ms time limit and come back as the fallback. The requests asserted on come after the warm-up; a
    /// chain that cannot reach its services by name never gets through it.
    /// </summary>
    private static async Task WarmUpAsync(HttpClient http, ChainHost chain)
    {
        long started = TimeProvider.System.GetTimestamp();
        int inARow = 0;
        for (int i = 0; inARow < FullAnswersInARow; i++)
        {
            TimeProvider.System.GetElapsedTime(started).Should().BeLessThan(WarmUpLimit, "the {0} chain answers in full within its warm-up (last {1} in a row)", chain.Name, inARow);
            using HttpResponseMessage response = await http.GetAsync(new Uri(chain.OrderAddress, $"orders/{1_000 + i}"));
            response.EnsureSuccessStatusCode(); // the fallback still answers 200; a failure here is a broken chain
            inARow = (await response.Content.ReadAsStringAsync()).Contains("\"degraded\":true", StringComparison.Ordinal) ? 0 : inARow + 1;
        }
    }
}
