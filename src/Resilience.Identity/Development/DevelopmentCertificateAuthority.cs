using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Resilience.Identity;

/// <summary>
/// A certificate authority for development, tests, samples and demos: it makes a root for a trust domain and issues
/// SPIFFE identities for named service accounts, with ECDSA P-256 keys and <c>System.Security.Cryptography</c> alone.
/// </summary>
/// <remarks>
/// It is a development tool, not a control plane: its root key lives in memory, it keeps no record of what it issued,
/// and it neither renews, revokes nor distributes anything. In production, identities come from SPIRE, cert-manager or
/// Istio, written to files that <see cref="WorkloadIdentityOptions"/> points at.
/// <para>An identity it issues carries <c>spiffe://{trustDomain}/ns/{namespace}/sa/{serviceAccount}</c> as its only URI
/// subject alternative name, and also the DNS name <c>localhost</c> and the addresses 127.0.0.1 and ::1, so the same
/// certificate serves Kestrel on loopback. Its extended key usages allow both server and client authentication.</para>
/// </remarks>
public sealed class DevelopmentCertificateAuthority : IDisposable
{
    /// <summary>The name of the certificate file <see cref="WriteFiles"/> writes.</summary>
    public const string CertificateFileName = "cert.pem";

    /// <summary>The name of the private key file <see cref="WriteFiles"/> writes.</summary>
    public const string KeyFileName = "key.pem";

    /// <summary>The name of the trust bundle file <see cref="WriteFiles"/> writes.</summary>
    public const string TrustBundleFileName = "bundle.pem";

    private static readonly TimeSpan RootBackdating = TimeSpan.FromDays(30);
    private static readonly TimeSpan RootValidity = TimeSpan.FromDays(365);
    private static readonly TimeSpan DefaultValidity = TimeSpan.FromDays(1);
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private readonly TimeProvider _timeProvider;

    private DevelopmentCertificateAuthority(string trustDomain, X509Certificate2 root, TimeProvider timeProvider)
    {
        TrustDomain = trustDomain;
        RootCertificate = root;
        _timeProvider = timeProvider;
    }

    /// <summary>Gets the trust domain, such as <c>cluster.local</c>.</summary>
    public string TrustDomain { get; }

    /// <summary>Gets the root certificate, with its private key: the trust bundle of the identities it issues.</summary>
    public X509Certificate2 RootCertificate { get; }

    /// <summary>Creates a root for <paramref name="trustDomain"/>, valid from 30 days ago for a year.</summary>
    /// <param name="trustDomain">The trust domain, such as <c>cluster.local</c>.</param>
    /// <param name="timeProvider">The clock that dates the certificates; <see cref="TimeProvider.System"/> by default.</param>
    /// <returns>The authority.</returns>
    /// <exception cref="FormatException"><paramref name="trustDomain"/> is not a SPIFFE trust domain.</exception>
    public static DevelopmentCertificateAuthority Create(string trustDomain, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(trustDomain);
        SpiffeId domain = SpiffeId.Parse("spiffe://" + trustDomain);
        timeProvider ??= TimeProvider.System;
        DateTimeOffset now = timeProvider.GetUtcNow();
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=Development CA for {trustDomain}, O=Resilience development", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddUri(new Uri(domain.Value));
        request.CertificateExtensions.Add(names.Build());
        using X509Certificate2 root = request.CreateSelfSigned(now - RootBackdating, now + RootValidity);
        return new DevelopmentCertificateAuthority(domain.TrustDomain, Exportable(root), timeProvider);
    }

    /// <summary>Issues an identity for a service account, valid from five minutes ago for one day.</summary>
    /// <param name="namespace">The Kubernetes namespace, such as <c>default</c>.</param>
    /// <param name="serviceAccount">The service account, such as <c>order-service</c>.</param>
    /// <returns>The identity, trusting this authority's root.</returns>
    public WorkloadIdentity Issue(string @namespace, string serviceAccount)
    {
        DateTimeOffset now = _timeProvider.GetUtcNow();
        return Issue(@namespace, serviceAccount, now - ClockSkew, now + DefaultValidity);
    }

    /// <summary>Issues an identity for a service account, valid from <paramref name="notBefore"/> to <paramref name="notAfter"/>.</summary>
    /// <param name="namespace">The Kubernetes namespace, such as <c>default</c>.</param>
    /// <param name="serviceAccount">The service account, such as <c>order-service</c>.</param>
    /// <param name="notBefore">The start of the validity window; a window in the past makes an expired certificate.</param>
    /// <param name="notAfter">The end of the validity window, within the root's (at most a year from its creation).</param>
    /// <returns>The identity, trusting this authority's root.</returns>
    /// <exception cref="FormatException">The names do not make a SPIFFE ID.</exception>
    public WorkloadIdentity Issue(string @namespace, string serviceAccount, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        ArgumentNullException.ThrowIfNull(@namespace);
        ArgumentNullException.ThrowIfNull(serviceAccount);
        SpiffeId id = SpiffeId.Parse($"spiffe://{TrustDomain}/ns/{@namespace}/sa/{serviceAccount}");
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={serviceAccount}, O={TrustDomain}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([Oid.FromOidValue("1.3.6.1.5.5.7.3.1", OidGroup.EnhancedKeyUsage), Oid.FromOidValue("1.3.6.1.5.5.7.3.2", OidGroup.EnhancedKeyUsage)], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(RootCertificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddUri(new Uri(id.Value));
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());

        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // A positive serial number (RFC 5280 §4.1.2.2).
        using X509Certificate2 issued = request.Create(RootCertificate, notBefore, notAfter, serial);
        using X509Certificate2 withKey = issued.CopyWithPrivateKey(key);
        X509Certificate2 root = X509CertificateLoader.LoadCertificate(RootCertificate.RawData);
        return new WorkloadIdentity(id, Exportable(withKey), [], [root]);
    }

    /// <summary>
    /// Writes an identity's certificate, private key and trust bundle as PEM files <c>cert.pem</c>, <c>key.pem</c> and
    /// <c>bundle.pem</c> in <paramref name="directory"/>, in that order, each replaced whole (written beside, then renamed
    /// over), the way an agent rotates them.
    /// </summary>
    /// <param name="identity">The identity to write.</param>
    /// <param name="directory">The folder; created when missing.</param>
    /// <returns>Options that point at the three files.</returns>
    public static WorkloadIdentityOptions WriteFiles(WorkloadIdentity identity, string directory)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        var options = new WorkloadIdentityOptions
        {
            CertificateFile = Path.Combine(directory, CertificateFileName),
            KeyFile = Path.Combine(directory, KeyFileName),
            TrustBundleFile = Path.Combine(directory, TrustBundleFileName),
        };
        X509Certificate2 certificate = identity.Certificate;
        AsymmetricAlgorithm key = (AsymmetricAlgorithm?)certificate.GetECDsaPrivateKey() ?? certificate.GetRSAPrivateKey()
            ?? throw new ArgumentException($"The certificate of {identity.Id} has no ECDSA or RSA private key.", nameof(identity));
        using (key)
        {
            Replace(options.CertificateFile, certificate.ExportCertificatePem() + "\n" + string.Concat(identity.Intermediates.Select(static c => c.ExportCertificatePem() + "\n")));
            Replace(options.KeyFile, key.ExportPkcs8PrivateKeyPem() + "\n");
        }

        Replace(options.TrustBundleFile, string.Concat(identity.TrustBundle.Select(static c => c.ExportCertificatePem() + "\n")));
        return options;
    }

    /// <summary>Releases the root's private key.</summary>
    public void Dispose() => RootCertificate.Dispose();

    private static X509Certificate2 Exportable(X509Certificate2 certificate) =>
        // A key that SslStream can use on every platform and that WriteFiles can export: round-trip through PKCS#12.
        X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), password: null, X509KeyStorageFlags.Exportable);

    private static void Replace(string path, string content)
    {
        string temporary = string.Create(CultureInfo.InvariantCulture, $"{path}.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(temporary, content);
        File.Move(temporary, path, overwrite: true);
    }
}
