using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Resilience.Identity;
using Resilience.Routing;

namespace Resilience.Discovery.Tests.Integration;

/// <summary>
/// Identities registered in etcd and checked by Resilience.Identity's client, end to end: real etcd, Kestrel over
/// mutual TLS on loopback, and a client whose expected server identity comes from each endpoint's registration.
/// </summary>
public sealed class MutualTlsDiscoveryTests : IDisposable
{
    private const string Pricing = "spiffe://cluster.local/ns/default/sa/pricing";
    private const string Inventory = "spiffe://cluster.local/ns/default/sa/inventory";

    private readonly DirectoryInfo _files = Directory.CreateTempSubdirectory("resilience-mtls-discovery-");
    private readonly DevelopmentCertificateAuthority _ca = DevelopmentCertificateAuthority.Create("cluster.local");

    public void Dispose()
    {
        _ca.Dispose();
        _files.Delete(recursive: true);
    }

    [EtcdFact]
    public async Task GetAsync_EndpointResolution_EachEndpointCheckedAgainstTheIdentityItRegistered()
    {
        await using EtcdServer etcd = await EtcdServer.StartAsync();
        // The genuine instance holds the identity it registered; the impostor registers pricing's but holds inventory's.
        await using InventoryInstance genuine = await StartAsync(etcd, "genuine", "pricing", Pricing);
        await using InventoryInstance impostor = await StartAsync(etcd, "impostor", "inventory", Pricing);
        await using var client = new DiscoveryClient(etcd, client: services =>
        {
            WorkloadIdentityOptions files = Files("order");
            // <discovered-identity>
            services.AddWorkloadIdentity(o =>
            {
                o.CertificateFile = files.CertificateFile;
                o.KeyFile = files.KeyFile;
                o.TrustBundleFile = files.TrustBundleFile;
            });

            // No pin: each endpoint must present the identity it registered (ServiceRegistrationOptions.Identity).
            return services.AddHttpClient("inventory").AddWorkloadIdentity().AddEndpointResolution();
            // </discovered-identity>
        });

        (List<string> answers, List<HttpRequestException> refusals) = await SendAsync(client, 4);

        answers.Should().Equal(["genuine", "genuine"], "round robin sends every other request to the genuine instance");
        refusals.Should().HaveCount(2).And.AllSatisfy(static e => ShouldBeMismatch(e));
        genuine.Requests.Should().Be(2);
        impostor.Requests.Should().Be(0, "the impostor is refused before the request is written");
    }

    [EtcdFact]
    public async Task GetAsync_EndpointRouting_RefusalCountsAgainstTheEndpoint()
    {
        await using EtcdServer etcd = await EtcdServer.StartAsync();
        await using InventoryInstance genuine = await StartAsync(etcd, "genuine", "pricing", Pricing);
        await using InventoryInstance impostor = await StartAsync(etcd, "impostor", "inventory", Pricing);
        await using var client = new DiscoveryClient(etcd, client: services =>
        {
            services.AddWorkloadIdentity(Configure(Files("order")));
            return services.AddHttpClient("inventory").AddWorkloadIdentity().AddEndpointRouting(o =>
            {
                o.Policy = LoadBalancingPolicies.RoundRobin;
                o.OutlierDetection = new OutlierDetectionOptions
                {
                    ConsecutiveGatewayFailure = 1,
                    EnforcingConsecutiveGatewayFailure = 100,
                    AlwaysEjectOneHost = true,
                    HealthyPanicThreshold = 0,
                };
            });
        });

        (List<string> answers, List<HttpRequestException> refusals) = await SendAsync(client, 4);

        refusals.Should().ContainSingle("the refusal is a gateway failure of the impostor, which is then ejected")
            .Which.Should().Match<HttpRequestException>(static e => ShouldBeMismatch(e));
        answers.Should().Equal(["genuine", "genuine", "genuine"]);
        impostor.Requests.Should().Be(0);
    }

    private static async Task<(List<string> Answers, List<HttpRequestException> Refusals)> SendAsync(DiscoveryClient client, int requests)
    {
        client.ServiceName = "https://inventory";
        (EndpointSet set, _) = await client.WaitForAsync(static s => s.Endpoints.Count == 2);
        set.Endpoints.Select(static e => e.Identity).Should().AllBe(Pricing);
        set.Endpoints.Select(static e => e.Address.Scheme).Should().AllBe("https");
        HttpClient http = client.CreateClient();
        var answers = new List<string>();
        var refusals = new List<HttpRequestException>();
        for (int i = 0; i < requests; i++)
        {
            try
            {
                answers.Add(await http.GetStringAsync(new Uri("https://inventory/who")));
            }
            catch (HttpRequestException refused)
            {
                refusals.Add(refused);
            }
        }

        return (answers, refusals);
    }

    private static bool ShouldBeMismatch(HttpRequestException refused)
    {
        refused.HttpRequestError.Should().Be(HttpRequestError.SecureConnectionError);
        refused.Message.Should().Contain(Inventory).And.Contain(Pricing);
        refused.InnerException.Should().BeOfType<WorkloadIdentityMismatchException>().Which.Expected.Should().Be(SpiffeId.Parse(Pricing));
        return true;
    }

    private Task<InventoryInstance> StartAsync(EtcdServer etcd, string name, string account, string registeredIdentity)
    {
        WorkloadIdentityOptions files = Files(account);
        return InventoryInstance.StartAsync(
            etcd,
            name,
            registration: o => o.Identity = registeredIdentity,
            listen: static l => l.UseWorkloadIdentity(),
            services: s => s.AddWorkloadIdentity(Configure(files)));
    }

    private static Action<WorkloadIdentityOptions> Configure(WorkloadIdentityOptions files) => o =>
    {
        o.CertificateFile = files.CertificateFile;
        o.KeyFile = files.KeyFile;
        o.TrustBundleFile = files.TrustBundleFile;
    };

    private WorkloadIdentityOptions Files(string account) =>
        DevelopmentCertificateAuthority.WriteFiles(_ca.Issue("default", account), _files.CreateSubdirectory(account + "-" + Guid.NewGuid().ToString("N")).FullName);
}
