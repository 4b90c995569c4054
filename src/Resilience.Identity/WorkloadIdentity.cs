using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Resilience.Identity;

/// <summary>
/// This workload's identity: its SPIFFE ID, the X.509 certificate that carries it (with its private key), and the
/// trust bundle, the CA certificates that the certificates of its peers must chain to.
/// </summary>
/// <remarks>
/// An identity is immutable and is never disposed by the library: when the files rotate, a new identity replaces it
/// in <see cref="WorkloadIdentityProvider.Current"/>, and connections still using the old one finish with it.
/// </remarks>
public sealed class WorkloadIdentity
{
    private SslStreamCertificateContext? _serverContext;

    internal WorkloadIdentity(SpiffeId id, X509Certificate2 certificate, X509Certificate2Collection intermediates, X509Certificate2Collection trustBundle)
    {
        Id = id;
        Certificate = certificate;
        Intermediates = intermediates;
        TrustBundle = trustBundle;
    }

    /// <summary>Gets the SPIFFE ID, the single <c>spiffe://</c> URI subject alternative name of <see cref="Certificate"/>.</summary>
    public SpiffeId Id { get; }

    /// <summary>Gets the certificate this workload presents, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Gets the CA certificates that a peer's certificate must chain to, instead of the machine's store.</summary>
    public X509Certificate2Collection TrustBundle { get; }

    /// <summary>Gets the intermediate certificates that followed the leaf in the certificate file, sent with it by a server.</summary>
    internal X509Certificate2Collection Intermediates { get; }

    /// <summary>Gets the server certificate context (the leaf and its intermediates), built once per identity.</summary>
    internal SslStreamCertificateContext ServerContext =>
        _serverContext ??= SslStreamCertificateContext.Create(Certificate, Intermediates, offline: true);

    /// <summary>Whether <paramref name="other"/> holds the same certificate and the same trust bundle.</summary>
    internal bool IsSameAs(WorkloadIdentity other)
    {
        if (!Certificate.RawDataMemory.Span.SequenceEqual(other.Certificate.RawDataMemory.Span) || TrustBundle.Count != other.TrustBundle.Count
            || Intermediates.Count != other.Intermediates.Count)
        {
            return false;
        }

        for (int i = 0; i < TrustBundle.Count; i++)
        {
            if (!TrustBundle[i].RawDataMemory.Span.SequenceEqual(other.TrustBundle[i].RawDataMemory.Span))
            {
                return false;
            }
        }

        return true;
    }
}
