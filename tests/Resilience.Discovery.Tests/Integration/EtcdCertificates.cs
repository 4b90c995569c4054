using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Resilience.Discovery.Tests.Integration;

/// <summary>
/// PEM files for TLS to a test etcd, generated with <see cref="CertificateRequest"/> in a temporary folder: a CA, a
/// server certificate for 127.0.0.1 and a client certificate signed by it, and another CA that signed neither.
/// </summary>
internal sealed class EtcdCertificates : IDisposable
{
    private EtcdCertificates(string directory) => Directory = directory;

    public string Directory { get; }

    public string CaFile => Path.Combine(Directory, "ca.pem");

    public string ServerCertificateFile => Path.Combine(Directory, "server.pem");

    public string ServerKeyFile => Path.Combine(Directory, "server-key.pem");

    public string ClientCertificateFile => Path.Combine(Directory, "client.pem");

    public string ClientKeyFile => Path.Combine(Directory, "client-key.pem");

    /// <summary>A CA that signed none of the certificates.</summary>
    public string OtherCaFile => Path.Combine(Directory, "other-ca.pem");

    public static EtcdCertificates Create()
    {
        string directory = Path.Combine(Path.GetTempPath(), "resilience-etcd-tls-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var files = new EtcdCertificates(directory);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using ECDsa caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using X509Certificate2 ca = CreateCa("Resilience test CA", caKey, now);
        File.WriteAllText(files.CaFile, ca.ExportCertificatePem());
        using ECDsa otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using X509Certificate2 other = CreateCa("Resilience other CA", otherKey, now);
        File.WriteAllText(files.OtherCaFile, other.ExportCertificatePem());
        Issue(ca, "127.0.0.1", "1.3.6.1.5.5.7.3.1", files.ServerCertificateFile, files.ServerKeyFile, now, ip: true);
        Issue(ca, "root", "1.3.6.1.5.5.7.3.2", files.ClientCertificateFile, files.ClientKeyFile, now, ip: false);
        return files;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A temporary directory; the machine cleans it up if a file is still held.
        }
    }

    private static X509Certificate2 CreateCa(string name, ECDsa key, DateTimeOffset now)
    {
        var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
    }

    private static void Issue(X509Certificate2 ca, string name, string usage, string certificateFile, string keyFile, DateTimeOffset now, bool ip)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        var names = new SubjectAlternativeNameBuilder();
        if (ip)
        {
            names.AddIpAddress(IPAddress.Loopback);
            names.AddDnsName("localhost");
        }
        else
        {
            names.AddDnsName(name);
        }

        request.CertificateExtensions.Add(names.Build());
        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using X509Certificate2 certificate = request.Create(ca, now.AddMinutes(-5), now.AddHours(12), serial);
        File.WriteAllText(certificateFile, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
    }
}
