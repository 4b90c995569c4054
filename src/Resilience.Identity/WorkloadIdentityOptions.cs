namespace Resilience.Identity;

/// <summary>
/// Where this workload's identity is read from: PEM files, as SPIRE's helper, cert-manager's CSI driver or Istio's
/// agent write them. The files are watched and read again when they change.
/// </summary>
/// <remarks>
/// Bound from a section such as <c>Identity</c>; validated at start, each message naming the full key, the value and
/// what is wrong (a missing file, a certificate without a SPIFFE ID, a key that is not the certificate's, an expired or
/// not yet valid certificate, a certificate that does not chain to the bundle, an empty bundle).
/// </remarks>
public sealed class WorkloadIdentityOptions
{
    /// <summary>Gets or sets the path of the certificate file: the leaf certificate first, then its intermediates, if any.</summary>
    /// <value>The default value is <see langword="null"/>, which validation rejects.</value>
    public string? CertificateFile { get; set; }

    /// <summary>Gets or sets the path of the certificate's private key, PEM (PKCS#8, SEC1 or PKCS#1), unencrypted.</summary>
    /// <value>The default value is <see langword="null"/>, which validation rejects.</value>
    public string? KeyFile { get; set; }

    /// <summary>Gets or sets the path of the trust bundle: one or more PEM CA certificates.</summary>
    /// <value>The default value is <see langword="null"/>, which validation rejects.</value>
    public string? TrustBundleFile { get; set; }
}
