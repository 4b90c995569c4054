using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Resilience.Identity.Internal;

/// <summary>
/// Checks the certificate a peer presents at the TLS handshake: it must chain to this workload's trust bundle (and to
/// nothing else: the machine's store is not consulted) and carry a SPIFFE ID. Host names are not checked: the SPIFFE ID
/// is what names a workload.
/// </summary>
internal static class PeerCertificates
{
    /// <summary>The peer's SPIFFE ID when its certificate is trusted and has one; otherwise <see langword="null"/> and why not.</summary>
    /// <param name="identity">This workload's identity, whose bundle the peer must chain to.</param>
    /// <param name="certificate">The peer's certificate.</param>
    /// <param name="presented">The chain TLS built, whose extra store holds the intermediates the peer sent.</param>
    /// <param name="errors">TLS's own verdict; only a missing certificate counts, the rest is checked again here.</param>
    /// <param name="now">The time at which the certificate must be valid.</param>
    /// <param name="trusted">Whether the certificate chains to the bundle.</param>
    /// <param name="reason">Why the peer is refused.</param>
    public static SpiffeId? Validate(WorkloadIdentity identity, X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors, DateTimeOffset now, out bool trusted, out string? reason)
    {
        trusted = false;
        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
        {
            reason = "the peer presented no certificate";
            return null;
        }

        X509Certificate2 leaf = AsCertificate2(certificate);
        if (!IdentityFiles.ChainsTo(leaf, presented?.ChainPolicy.ExtraStore, identity.TrustBundle, now, out string status))
        {
            reason = $"the peer's certificate ({leaf.Subject}, serial {leaf.SerialNumber}) does not chain to the trust bundle of {identity.Id}: {status}";
            return null;
        }

        trusted = true;
        SpiffeId? id = SpiffeId.FromCertificate(leaf);
        reason = id is null ? $"the peer's certificate ({leaf.Subject}, serial {leaf.SerialNumber}) has no SPIFFE ID" : null;
        return id;
    }

    /// <summary>The certificate as an <see cref="X509Certificate2"/>, which TLS hands over in practice.</summary>
    public static X509Certificate2 AsCertificate2(X509Certificate certificate) =>
        certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());

    /// <summary>Accepts a server whose certificate chains to the trust bundle, whatever its SPIFFE ID (checked later, against the endpoint's); throws <see cref="UntrustedPeerException"/> otherwise.</summary>
    public static bool ValidateTrust(WorkloadIdentity identity, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors, DateTimeOffset now)
    {
        _ = Validate(identity, certificate, chain, errors, now, out bool trusted, out string? reason);
        return trusted ? true : throw new UntrustedPeerException($"The server was refused: {reason}.");
    }

    /// <summary>The client's check of a server: trusted, and the expected SPIFFE ID; throws to end the handshake with the reason.</summary>
    /// <exception cref="WorkloadIdentityMismatchException">The server is trusted but is another workload.</exception>
    /// <exception cref="UntrustedPeerException">The server's certificate is not trusted.</exception>
    public static bool ValidateServer(WorkloadIdentity identity, SpiffeId expected, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors, DateTimeOffset now)
    {
        SpiffeId? presented = Validate(identity, certificate, chain, errors, now, out bool trusted, out string? reason);
        if (!trusted)
        {
            throw new UntrustedPeerException($"The server was refused: {reason}.");
        }

        return presented is not null && presented.Equals(expected) ? true : throw new WorkloadIdentityMismatchException(expected, presented);
    }
}

/// <summary>A peer's certificate was refused at the handshake: not trusted by the bundle, or without a SPIFFE ID.</summary>
internal sealed class UntrustedPeerException(string message) : AuthenticationException(message);
