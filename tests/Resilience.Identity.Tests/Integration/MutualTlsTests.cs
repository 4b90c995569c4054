namespace Resilience.Identity.Tests.Integration;

public sealed class MutualTlsTests : WorkloadFiles
{
    private const string Order = "spiffe://cluster.local/ns/default/sa/order";
    private const string Pricing = "spiffe://cluster.local/ns/default/sa/pricing";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task GetAsync_AllowedIdentities_ServerSeesCallerClaim()
    {
        await using MtlsServer server = await MtlsServer.StartAsync(Write("pricing", Ca.Issue("default", "pricing")));
        using var client = new MtlsClient(Write("order", Ca.Issue("default", "order")), server.BaseAddress, Pricing);

        string body = await client.Create().GetStringAsync("/").WaitAsync(Bound);

        body.Should().Be(Order);
    }

    [Fact]
    public async Task GetAsync_ServerHasAnotherSpiffeId_RefusedNamingBothAndNotRetried()
    {
        await using MtlsServer server = await MtlsServer.StartAsync(Write("inventory", Ca.Issue("default", "inventory")));
        using var client = new MtlsClient(Write("order", Ca.Issue("default", "order")), server.BaseAddress, Pricing);

        Func<Task> act = () => client.Create().GetStringAsync("/").WaitAsync(Bound);

        HttpRequestException refused = (await act.Should().ThrowAsync<HttpRequestException>()).Which;
        refused.HttpRequestError.Should().Be(HttpRequestError.SecureConnectionError);
        refused.Message.Should().Contain("spiffe://cluster.local/ns/default/sa/inventory").And.Contain(Pricing);
        refused.InnerException.Should().BeOfType<WorkloadIdentityMismatchException>()
            .Which.Presented.Should().Be(SpiffeId.Parse("spiffe://cluster.local/ns/default/sa/inventory"));
        server.Connections.Should().Be(1, "a mismatch is not retried");
        server.Requests.Should().Be(0);
    }

    [Fact]
    public async Task GetAsync_ServerCertificateFromAnotherCa_RefusedByClient()
    {
        using var other = DevelopmentCertificateAuthority.Create("cluster.local");
        await using MtlsServer server = await MtlsServer.StartAsync(Write("pricing", other.Issue("default", "pricing")));
        using var client = new MtlsClient(Write("order", Ca.Issue("default", "order")), server.BaseAddress, Pricing);

        Func<Task> act = () => client.Create().GetStringAsync("/").WaitAsync(Bound);

        HttpRequestException refused = (await act.Should().ThrowAsync<HttpRequestException>()).Which;
        refused.Message.Should().Contain("does not chain to the trust bundle");
        server.Connections.Should().Be(1);
        server.Requests.Should().Be(0);
    }

    [Fact]
    public async Task GetAsync_ClientCertificateFromAnotherCa_RefusedAtHandshake()
    {
        using var other = DevelopmentCertificateAuthority.Create("cluster.local");
        await using MtlsServer server = await MtlsServer.StartAsync(Write("pricing", Ca.Issue("default", "pricing")));
        WorkloadIdentityOptions clientFiles = Write("order", other.Issue("default", "order"));
        // The client trusts both CAs, but the server trusts only its own.
        File.AppendAllText(clientFiles.TrustBundleFile!, Ca.RootCertificate.ExportCertificatePem() + "\n");
        using var client = new MtlsClient(clientFiles, server.BaseAddress, Pricing);

        Func<Task> act = () => client.Create().GetStringAsync("/").WaitAsync(Bound);

        await act.Should().ThrowAsync<HttpRequestException>();
        server.Requests.Should().Be(0);
    }

    [Fact]
    public async Task GetAsync_ExpiredClientCertificate_RefusedAtHandshake()
    {
        await using MtlsServer server = await MtlsServer.StartAsync(Write("pricing", Ca.Issue("default", "pricing")));
        using var client = new MtlsClient(Write("order", Ca.Issue("default", "order")), server.BaseAddress, Pricing);
        // The files were valid at start; the certificate now in use has expired (validation at start would refuse it).
        DateTimeOffset now = DateTimeOffset.UtcNow;
        WorkloadIdentity expired = Ca.Issue("default", "order", now - TimeSpan.FromDays(2), now - TimeSpan.FromDays(1));
        client.Identity.Publish(expired);

        Func<Task> act = () => client.Create().GetStringAsync("/").WaitAsync(Bound);

        await act.Should().ThrowAsync<HttpRequestException>();
        server.Requests.Should().Be(0);
    }

    [Fact]
    public async Task GetAsync_TrustedClientCertificateWithoutSpiffeId_RefusedAtHandshake()
    {
        using var plain = CertificateFactory.WithUris();
        WorkloadIdentityOptions serverFiles = Write("pricing", Ca.Issue("default", "pricing"));
        // The server trusts the plain certificate itself, so only its missing SPIFFE ID can refuse it.
        File.AppendAllText(serverFiles.TrustBundleFile!, plain.ExportCertificatePem() + "\n");
        await using MtlsServer server = await MtlsServer.StartAsync(serverFiles);
        using var client = new MtlsClient(Write("order", Ca.Issue("default", "order")), server.BaseAddress, Pricing);
        WorkloadIdentity current = client.Identity.Current;
        client.Identity.Publish(new WorkloadIdentity(SpiffeId.Parse(Order), plain, [], current.TrustBundle));

        Func<Task> act = () => client.Create().GetStringAsync("/").WaitAsync(Bound);

        await act.Should().ThrowAsync<HttpRequestException>();
        server.Requests.Should().Be(0);
    }

    [Fact]
    public async Task GetAsync_AfterTheFirstRequest_ReusesTheConnectionAndTheClaim()
    {
        await using MtlsServer server = await MtlsServer.StartAsync(Write("pricing", Ca.Issue("default", "pricing")));
        using var client = new MtlsClient(Write("order", Ca.Issue("default", "order")), server.BaseAddress, Pricing);
        HttpClient http = client.Create();

        await http.GetStringAsync("/").WaitAsync(Bound);
        string second = await http.GetStringAsync("/").WaitAsync(Bound);

        second.Should().Be(Order);
        server.Connections.Should().Be(1);
        server.Requests.Should().Be(2);
    }

    private WorkloadIdentityOptions Write(string name, WorkloadIdentity identity) =>
        DevelopmentCertificateAuthority.WriteFiles(identity, Files.Sub(name));
}
