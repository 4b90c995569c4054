using System.Security.Cryptography.X509Certificates;
using Resilience.Identity.Internal;

namespace Resilience.Identity.Tests.Internal;

public sealed class PeerCertificatesTests
{
    [Fact]
    public void AsCertificate2_PlainX509Certificate_LoadsTheSameCertificate()
    {
        using var ca = DevelopmentCertificateAuthority.Create("cluster.local");
        WorkloadIdentity identity = ca.Issue("default", "pricing");
#pragma warning disable SYSLIB0057 // A plain X509Certificate, as an older TLS stack could hand over.
        using var plain = new X509Certificate(identity.Certificate.RawData);
#pragma warning restore SYSLIB0057

        using X509Certificate2 loaded = PeerCertificates.AsCertificate2(plain);

        loaded.Thumbprint.Should().Be(identity.Certificate.Thumbprint);
        SpiffeId.FromCertificate(loaded).Should().Be(identity.Id);
    }

    [Fact]
    public void AsCertificate2_X509Certificate2_IsReturnedAsItIs()
    {
        using var ca = DevelopmentCertificateAuthority.Create("cluster.local");
        WorkloadIdentity identity = ca.Issue("default", "pricing");

        PeerCertificates.AsCertificate2(identity.Certificate).Should().BeSameAs(identity.Certificate);
    }
}
