using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Resilience.Identity.Tests;

/// <summary>Self-signed certificates with chosen URI subject alternative names, for what the development CA never issues.</summary>
internal static class CertificateFactory
{
    public static X509Certificate2 WithUris(params string[] uris)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=test", key, HashAlgorithmName.SHA256);
        if (uris.Length > 0)
        {
            var names = new SubjectAlternativeNameBuilder();
            foreach (string uri in uris)
            {
                names.AddUri(new Uri(uri));
            }

            names.AddDnsName("localhost");
            request.CertificateExtensions.Add(names.Build());
        }

        DateTimeOffset now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
    }
}
