namespace Resilience.Identity.Tests.Integration;

/// <summary>
/// A client without a pin checks each server against the identity its attempt carries
/// (<see cref="Resilience.Http.ExpectedServerIdentity"/>, which discovery's handlers set from the chosen endpoint's
/// registration), over real mutual TLS on loopback.
/// </summary>
public sealed class ExpectedServerIdentityTests : WorkloadFiles
{
    private const string Order = "spiffe://cluster.local/ns/default/sa/order";
    private const string Pricing = "spiffe://cluster.local/ns/default/sa/pricing";
    private const string Inventory = "spiffe://cluster.local/ns/default/sa/inventory";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task GetAsync_ServerPresentsTheRegisteredIdentity_AnswersAndReusesTheConnection()
    {
        await using MtlsServer server = await MtlsServer.StartAsync(Write("pricing"));
        using MtlsClient client = MtlsClient.Unpinned(Write("order"), server.BaseAddress, Pricing);
        HttpClient http = client.Create();

        await http.GetStringAsync("/").WaitAsync(Bound);
        string body = await http.GetStringAsync("/").WaitAsync(Bound);

        body.Should().Be(Order);
        server.Connections.Should().Be(1, "the identity is checked once per connection");
        server.Requests.Should().Be(2);
    }

    [Fact]
    public async Task GetAsync_ServerPresentsAnotherIdentity_RefusedBeforeTheRequestAndNotRetried()
    {
        await using MtlsServer server = await MtlsServer.StartAsync(Write("inventory"));
        using MtlsClient client = MtlsClient.Unpinned(Write("order"), server.BaseAddress, Pricing);

        HttpRequestException refused = await RefusedAsync(client);

        refused.HttpRequestError.Should().Be(HttpRequestError.SecureConnectionError);
        refused.Message.Should().Be($"The server presented the workload identity '{Inventory}', but this client expects '{Pricing}'.");
        WorkloadIdentityMismatchException mismatch = refused.InnerException.Should().BeOfType<WorkloadIdentityMismatchException>().Which;
        mismatch.Expected.Should().Be(SpiffeId.Parse(Pricing));
        mismatch.Presented.Should().Be(SpiffeId.Parse(Inventory));
        server.Connections.Should().Be(1, "a refusal is not retried");
        server.Requests.Should().Be(0, "nothing is written to a server that fails the check");
    }

    [Fact]
    public async Task GetAsync_NoIdentityRegistered_RefusedNamingTheWayToPinOne()
    {
        await using MtlsServer server = await MtlsServer.StartAsync(Write("pricing"));
        using MtlsClient client = MtlsClient.Unpinned(Write("order"), server.BaseAddress, registered: null);

        HttpRequestException refused = await RefusedAsync(client);

        refused.Message.Should().Be(
            $"The client 'pricing' cannot check {server.BaseAddress.GetLeftPart(UriPartial.Authority)}: the endpoint registered no identity in discovery, and the client pins none (AddWorkloadIdentity(expectedServerId)).");
        server.Requests.Should().Be(0);
    }

    [Fact]
    public async Task GetAsync_RegisteredIdentityIsNotASpiffeId_Refused()
    {
        await using MtlsServer server = await MtlsServer.StartAsync(Write("pricing"));
        using MtlsClient client = MtlsClient.Unpinned(Write("order"), server.BaseAddress, "pricing");

        HttpRequestException refused = await RefusedAsync(client);

        refused.Message.Should().Be($"The endpoint {server.BaseAddress.GetLeftPart(UriPartial.Authority)} registered the identity 'pricing' in discovery, which is not a SPIFFE ID.");
        server.Requests.Should().Be(0);
    }

    [Fact]
    public async Task GetAsync_UntrustedServer_RefusedAtTheHandshakeBeforeItsIdentityIsRead()
    {
        using var other = DevelopmentCertificateAuthority.Create("cluster.local");
        await using MtlsServer server = await MtlsServer.StartAsync(DevelopmentCertificateAuthority.WriteFiles(other.Issue("default", "pricing"), Files.Sub("other")));
        using MtlsClient client = MtlsClient.Unpinned(Write("order"), server.BaseAddress, Pricing);

        HttpRequestException refused = await RefusedAsync(client);

        refused.HttpRequestError.Should().Be(HttpRequestError.SecureConnectionError);
        refused.Message.Should().Contain("does not chain to the trust bundle");
    }

    [Fact]
    public async Task GetAsync_PinnedClient_ThePinWinsOverTheRegisteredIdentity()
    {
        await using MtlsServer server = await MtlsServer.StartAsync(Write("pricing"));
        using var client = new MtlsClient(Write("order"), server.BaseAddress, Pricing);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        // A registry that names another identity does not override configuration.
        Resilience.Http.ExpectedServerIdentity.Set(request, Inventory);

        using HttpResponseMessage response = await client.Create().SendAsync(request).WaitAsync(Bound);

        (await response.Content.ReadAsStringAsync()).Should().Be(Order);
    }

    [Fact]
    public async Task GetAsync_PlainHttpAddress_RefusedBeforeAnythingIsSent()
    {
        await using MtlsServer server = await MtlsServer.StartAsync(Write("pricing"));
        var plain = new UriBuilder(server.BaseAddress) { Scheme = Uri.UriSchemeHttp }.Uri;
        using var client = new MtlsClient(Write("order"), plain, Pricing);

        HttpRequestException refused = await RefusedAsync(client);

        refused.Message.Should().Be($"The client 'pricing' has a workload identity, so it sends requests only over mutual TLS, but {plain.GetLeftPart(UriPartial.Authority)} is not https.");
        server.Requests.Should().Be(0);
    }

    private static async Task<HttpRequestException> RefusedAsync(MtlsClient client)
    {
        Func<Task> act = () => client.Create().GetStringAsync("/").WaitAsync(Bound);
        return (await act.Should().ThrowAsync<HttpRequestException>()).Which;
    }
}
