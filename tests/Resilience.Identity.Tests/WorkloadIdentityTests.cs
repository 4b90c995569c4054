using System.Security.Cryptography.X509Certificates;

namespace Resilience.Identity.Tests;

/// <summary>When a reload counts as a change: the certificate, the intermediates and every CA of the bundle.</summary>
public sealed class WorkloadIdentityTests : IDisposable
{
    private readonly DevelopmentCertificateAuthority _ca = DevelopmentCertificateAuthority.Create("cluster.local");
    private readonly DevelopmentCertificateAuthority _otherCa = DevelopmentCertificateAuthority.Create("cluster.local");

    public void Dispose()
    {
        _ca.Dispose();
        _otherCa.Dispose();
    }

    [Fact]
    public void IsSameAs_SameCertificateAndBundle_True()
    {
        WorkloadIdentity identity = _ca.Issue("default", "order");

        identity.IsSameAs(With(identity, [.. identity.TrustBundle])).Should().BeTrue();
    }

    [Fact]
    public void IsSameAs_SameCertificateRotatedBundleOfSameSize_False()
    {
        WorkloadIdentity identity = _ca.Issue("default", "order");

        identity.IsSameAs(With(identity, [_otherCa.RootCertificate])).Should().BeFalse("a rotated CA must reach the handshakes");
    }

    [Fact]
    public void IsSameAs_OtherCertificate_False()
    {
        _ca.Issue("default", "order").IsSameAs(_ca.Issue("default", "order")).Should().BeFalse();
    }

    private static WorkloadIdentity With(WorkloadIdentity identity, X509Certificate2[] bundle) =>
        new(identity.Id, identity.Certificate, identity.Intermediates, [.. bundle]);
}
