using System.Net;

namespace Resilience.Identity.Tests.Integration;

/// <summary>
/// Two workloads on loopback over mutual TLS, identities from the development CA written to files, and Pricing's
/// server deciding who may call what with Istio-shaped policies from a JSON file: the whole zero-trust path.
/// </summary>
public sealed class AuthorizationOverMutualTlsTests : WorkloadFiles
{
    private const string Inventory = "spiffe://cluster.local/ns/default/sa/inventory";
    private const string Pricing = "spiffe://cluster.local/ns/default/sa/pricing";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    // Only Inventory may read prices; nobody may reach the admin paths, whatever the ALLOW policy says.
    private const string InventoryOnly = """
        {
          "Authorization": {
            "Policies": {
              "inventory-reads-prices": {
                "Action": "ALLOW",
                "Rules": [ {
                  "From": [ { "Source": { "Principals": [ "cluster.local/ns/default/sa/inventory" ] } } ],
                  "To": [ { "Operation": { "Methods": [ "GET" ], "Paths": [ "/api/prices/*" ] } } ]
                } ]
              },
              "no-admin": {
                "Action": "DENY",
                "Rules": [ { "To": [ { "Operation": { "Paths": [ "/api/prices/admin/*" ] } } ] } ]
              }
            }
          }
        }
        """;

    [Fact]
    public async Task GetAsync_AllowedCaller_200AndTheEndpointSeesItsClaim()
    {
        await using PolicyServer server = await StartPricingAsync(InventoryOnly);
        using MtlsClient inventory = Client("inventory", server);

        (HttpStatusCode status, string body) = await GetAsync(inventory, "/api/prices/42");

        status.Should().Be(HttpStatusCode.OK);
        body.Should().Be(Inventory, "the caller's SPIFFE ID reached the endpoint as the spiffe_id claim");
    }

    [Fact]
    public async Task GetAsync_CallerWithoutAllowRule_403()
    {
        await using PolicyServer server = await StartPricingAsync(InventoryOnly);
        using MtlsClient order = Client("order", server);

        (HttpStatusCode status, string body) = await GetAsync(order, "/api/prices/42");

        status.Should().Be(HttpStatusCode.Forbidden);
        body.Should().BeEmpty();
    }

    [Fact]
    public async Task GetAsync_AllowedCallerOnDeniedPath_403BecauseDenyBeatsAllow()
    {
        await using PolicyServer server = await StartPricingAsync(InventoryOnly);
        using MtlsClient inventory = Client("inventory", server);

        (await GetAsync(inventory, "/api/prices/admin/reset")).Status.Should().Be(HttpStatusCode.Forbidden);
        (await GetAsync(inventory, "/api/prices/7")).Status.Should().Be(HttpStatusCode.OK, "the DENY covers its path only");
    }

    [Fact]
    public async Task GetAsync_PolicyFileRewritten_NextRequestDecidedByTheNewPolicy()
    {
        await using PolicyServer server = await StartPricingAsync(InventoryOnly);
        using MtlsClient inventory = Client("inventory", server);
        using MtlsClient order = Client("order", server);
        (await GetAsync(order, "/api/prices/42")).Status.Should().Be(HttpStatusCode.Forbidden);

        // Order replaces Inventory in the ALLOW rule; the file is replaced whole, as a configuration agent would.
        string orderOnly = InventoryOnly.Replace("sa/inventory", "sa/order", StringComparison.Ordinal);
        await server.WhenPoliciesChangeAsync(() => ReplaceAsync(PolicyFile, orderOnly), Bound);

        (await GetAsync(order, "/api/prices/42")).Status.Should().Be(HttpStatusCode.OK);
        (await GetAsync(inventory, "/api/prices/42")).Status.Should().Be(HttpStatusCode.Forbidden);
    }

    private string PolicyFile => Path.Combine(Files.Path, "policies.json");

    private async Task<PolicyServer> StartPricingAsync(string policies)
    {
        await ReplaceAsync(PolicyFile, policies);
        return await PolicyServer.StartAsync(DevelopmentCertificateAuthority.WriteFiles(Ca.Issue("default", "pricing"), Files.Sub("pricing")), PolicyFile);
    }

    private MtlsClient Client(string serviceAccount, PolicyServer server) =>
        new(DevelopmentCertificateAuthority.WriteFiles(Ca.Issue("default", serviceAccount), Files.Sub(serviceAccount)), server.BaseAddress, Pricing);

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(MtlsClient client, string path)
    {
        using HttpResponseMessage response = await client.Create().GetAsync(path).WaitAsync(Bound);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Writes beside the file, then renames over it: the watcher never reads half a file.</summary>
    private static async Task ReplaceAsync(string path, string content)
    {
        string next = path + ".next";
        await File.WriteAllTextAsync(next, content);
        File.Move(next, path, overwrite: true);
    }
}
