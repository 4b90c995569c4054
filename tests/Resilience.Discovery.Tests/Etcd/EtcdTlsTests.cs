using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Resilience.Discovery.Internal;
using Resilience.Discovery.Tests.Integration;

namespace Resilience.Discovery.Tests.Etcd;

public sealed class EtcdTlsTests
{
    [Fact]
    public void IsTrusted_CertificateSignedByTheCa_IsTrusted()
    {
        using var certificates = EtcdCertificates.Create();
        (X509Certificate2Collection roots, X509Certificate2 server) = Load(certificates, certificates.CaFile);

        EtcdTls.IsTrusted(roots, server, chain: null, SslPolicyErrors.RemoteCertificateChainErrors).Should().BeTrue();
    }

    [Fact]
    public void IsTrusted_AnotherCa_IsRejected()
    {
        using var certificates = EtcdCertificates.Create();
        (X509Certificate2Collection roots, X509Certificate2 server) = Load(certificates, certificates.OtherCaFile);

        EtcdTls.IsTrusted(roots, server, chain: null, SslPolicyErrors.RemoteCertificateChainErrors).Should().BeFalse();
    }

    [Fact]
    public void IsTrusted_NameMismatchOrNoCertificate_IsRejectedEvenWithTheRightCa()
    {
        using var certificates = EtcdCertificates.Create();
        (X509Certificate2Collection roots, X509Certificate2 server) = Load(certificates, certificates.CaFile);

        EtcdTls.IsTrusted(roots, server, chain: null, SslPolicyErrors.RemoteCertificateNameMismatch).Should().BeFalse();
        EtcdTls.IsTrusted(roots, certificate: null, chain: null, SslPolicyErrors.RemoteCertificateNotAvailable).Should().BeFalse();
    }

    private static (X509Certificate2Collection Roots, X509Certificate2 Server) Load(EtcdCertificates certificates, string caFile)
    {
        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(caFile);
        return (roots, X509Certificate2.CreateFromPem(File.ReadAllText(certificates.ServerCertificateFile)));
    }
}
