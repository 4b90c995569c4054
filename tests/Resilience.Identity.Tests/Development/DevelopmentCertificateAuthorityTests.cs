using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;

namespace Resilience.Identity.Tests.Development;

public sealed class DevelopmentCertificateAuthorityTests : IDisposable
{
    private readonly TempDirectory _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Issue_ServiceAccount_SpiffeIdLocalhostAndLoopbackChainedToRoot()
    {
        using var ca = DevelopmentCertificateAuthority.Create("cluster.local");

        WorkloadIdentity identity = ca.Issue("shop", "order");

        identity.Id.Should().Be(SpiffeId.Parse("spiffe://cluster.local/ns/shop/sa/order"));
        identity.Certificate.HasPrivateKey.Should().BeTrue();
        identity.Certificate.MatchesHostname("localhost").Should().BeTrue();
        identity.Certificate.MatchesHostname(IPAddress.Loopback.ToString()).Should().BeTrue();
        identity.TrustBundle.Should().ContainSingle().Which.Thumbprint.Should().Be(ca.RootCertificate.Thumbprint);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca.RootCertificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.Build(identity.Certificate).Should().BeTrue();
    }

    [Fact]
    public void Issue_ChosenWindow_CertificateHasIt()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using var ca = DevelopmentCertificateAuthority.Create("example.org", time);
        DateTimeOffset notBefore = time.GetUtcNow().AddDays(-3);

        WorkloadIdentity identity = ca.Issue("default", "old", notBefore, notBefore.AddDays(1));

        identity.Certificate.NotBefore.ToUniversalTime().Should().Be(notBefore.UtcDateTime);
        identity.Certificate.NotAfter.ToUniversalTime().Should().Be(notBefore.AddDays(1).UtcDateTime);
    }

    [Fact]
    public void Create_InvalidTrustDomain_Throws()
    {
        Action act = () => DevelopmentCertificateAuthority.Create("Not Valid");

        act.Should().Throw<FormatException>();
    }

    [Fact]
    public void WriteFiles_Identity_ThreePemFilesThatLoadBack()
    {
        string directory = _files.Sub("order");
        // <development-ca>
        using var ca = DevelopmentCertificateAuthority.Create("cluster.local");
        WorkloadIdentity identity = ca.Issue("default", "order");
        WorkloadIdentityOptions options = DevelopmentCertificateAuthority.WriteFiles(identity, directory);
        // </development-ca>

        options.CertificateFile.Should().Be(Path.Combine(_files.Sub("order"), DevelopmentCertificateAuthority.CertificateFileName));
        Directory.GetFiles(_files.Sub("order")).Select(Path.GetFileName).Should().BeEquivalentTo(["cert.pem", "key.pem", "bundle.pem"]);
        using X509Certificate2 loaded = X509Certificate2.CreateFromPemFile(options.CertificateFile!, options.KeyFile);
        loaded.Thumbprint.Should().Be(identity.Certificate.Thumbprint);
        File.ReadAllText(options.TrustBundleFile!).Should().Contain("BEGIN CERTIFICATE");
    }
}
