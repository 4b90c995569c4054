using Etcdserverpb;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Resilience.Discovery.Internal;
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

    [EtcdFact]
    public async Task Connection_MutualTlsWithTheCa_RegistersAndWatchesOverTls()
    {
        using var certificates = EtcdCertificates.Create();
        await using EtcdServer etcd = await EtcdServer.StartAsync(certificates);
        void Tls(EtcdDiscoveryOptions o)
        {
            o.TrustedCaFile = certificates.CaFile;
            o.ClientCertificateFile = certificates.ClientCertificateFile;
            o.ClientKeyFile = certificates.ClientKeyFile;
        }

        await using InventoryInstance a = await InventoryInstance.StartAsync(etcd, "a", etcdOptions: Tls);
        await using var client = new DiscoveryClient(etcd, etcdOptions: Tls);

        (EndpointSet set, _) = await client.WaitForAsync(s => DiscoveryClient.Has(s, a));
        string answer = await client.CreateClient().GetStringAsync("/who");

        etcd.ClientUrl.Should().StartWith("https://");
        set.Endpoints.Should().ContainSingle();
        answer.Should().Be("a");
    }

    [EtcdFact]
    public async Task Connection_AnotherCa_FailsRejectingTheServerCertificate()
    {
        using var certificates = EtcdCertificates.Create();
        await using EtcdServer etcd = await EtcdServer.StartAsync(certificates);
        using EtcdConnection connection = Connect(etcd, certificates.OtherCaFile, certificates.ClientCertificateFile, certificates.ClientKeyFile);

        Func<Task> read = () => connection.Kv.RangeAsync(new RangeRequest { Key = EtcdConnection.Key("/services/") }).ResponseAsync;

        (await read.Should().ThrowAsync<RpcException>()).Which.Status.DebugException!.ToString().Should().Contain("RemoteCertificateValidationCallback");
    }

    [EtcdFact]
    public async Task Connection_NoClientCertificate_IsRefusedByEtcd()
    {
        using var certificates = EtcdCertificates.Create();
        await using EtcdServer etcd = await EtcdServer.StartAsync(certificates);
        using EtcdConnection connection = Connect(etcd, certificates.CaFile, null, null);

        Func<Task> read = () => connection.Kv.RangeAsync(new RangeRequest { Key = EtcdConnection.Key("/services/") }).ResponseAsync;

        (await read.Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(StatusCode.Unavailable);
    }

    private static EtcdConnection Connect(EtcdServer etcd, string caFile, string? certificateFile, string? keyFile)
    {
        var options = new EtcdDiscoveryOptions { TrustedCaFile = caFile, ClientCertificateFile = certificateFile, ClientKeyFile = keyFile };
        options.Endpoints.Add(etcd.ClientUrl);
        return new EtcdConnection(Options.Create(options));
    }
}
