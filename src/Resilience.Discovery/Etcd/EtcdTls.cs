using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Resilience.Discovery.Internal;

/// <summary>
/// TLS to etcd from PEM files: the CA certificates trusted instead of the machine's roots, and the client certificate
/// of mutual TLS. Checked at start by <see cref="AddErrors"/>; the channel's handler options by <see cref="Configure"/>.
/// </summary>
internal static class EtcdTls
{
    /// <summary>Whether the options name any TLS file, which requires every endpoint to be https.</summary>
    public static bool IsConfigured(EtcdDiscoveryOptions options) =>
        !string.IsNullOrEmpty(options.TrustedCaFile) || !string.IsNullOrEmpty(options.ClientCertificateFile) || !string.IsNullOrEmpty(options.ClientKeyFile);

    public static void AddErrors(EtcdDiscoveryOptions options, string keyPrefix, List<string> errors)
    {
        string ca = keyPrefix + nameof(EtcdDiscoveryOptions.TrustedCaFile);
        string certificate = keyPrefix + nameof(EtcdDiscoveryOptions.ClientCertificateFile);
        string key = keyPrefix + nameof(EtcdDiscoveryOptions.ClientKeyFile);
        if (!string.IsNullOrEmpty(options.TrustedCaFile) && Exists(ca, options.TrustedCaFile, errors))
        {
            try
            {
                _ = LoadCertificates(options.TrustedCaFile);
            }
            catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
            {
                errors.Add($"{ca} is '{options.TrustedCaFile}', but it could not be read as PEM certificates ({e.Message}); it must hold at least one '-----BEGIN CERTIFICATE-----' block of the CA that signs the etcd servers' certificates.");
            }
        }

        bool hasCertificate = !string.IsNullOrEmpty(options.ClientCertificateFile);
        bool hasKey = !string.IsNullOrEmpty(options.ClientKeyFile);
        if (hasCertificate != hasKey)
        {
            (string set, string missing) = hasCertificate ? (certificate, key) : (key, certificate);
            errors.Add($"{missing} is empty while {set} is set, but the client certificate and its key must be set together or not at all.");
        }
        else if (hasCertificate && Exists(certificate, options.ClientCertificateFile!, errors) & Exists(key, options.ClientKeyFile!, errors))
        {
            try
            {
                LoadClientCertificate(options.ClientCertificateFile!, options.ClientKeyFile!).Dispose();
            }
            catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                errors.Add($"{certificate} is '{options.ClientCertificateFile}' and {key} is '{options.ClientKeyFile}', but they could not be read as a PEM certificate and its matching PEM private key ({e.Message}).");
            }
        }
    }

    /// <summary>Sets the TLS options of the channel's handler: the client certificate and, with a CA file, validation against it alone.</summary>
    public static void Configure(EtcdDiscoveryOptions options, SslClientAuthenticationOptions ssl)
    {
        if (!string.IsNullOrEmpty(options.ClientCertificateFile) && !string.IsNullOrEmpty(options.ClientKeyFile))
        {
            ssl.ClientCertificates = [LoadClientCertificate(options.ClientCertificateFile, options.ClientKeyFile)];
        }

        if (!string.IsNullOrEmpty(options.TrustedCaFile))
        {
            X509Certificate2Collection roots = LoadCertificates(options.TrustedCaFile);
            ssl.RemoteCertificateValidationCallback = (_, certificate, chain, errors) => IsTrusted(roots, certificate, chain, errors);
        }
    }

    /// <summary>Whether the server's certificate matches the host and chains to one of <paramref name="roots"/> (and to nothing else).</summary>
    internal static bool IsTrusted(X509Certificate2Collection roots, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(roots);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            custom.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
        }

        return custom.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }

    private static bool Exists(string key, string path, List<string> errors)
    {
        if (File.Exists(path))
        {
            return true;
        }

        errors.Add($"{key} is '{path}', but no such file exists; it must be the path of a readable PEM file.");
        return false;
    }

    private static X509Certificate2Collection LoadCertificates(string path)
    {
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPemFile(path);
        return certificates.Count > 0 ? certificates : throw new CryptographicException("no certificate in the file");
    }

    private static X509Certificate2 LoadClientCertificate(string certificatePath, string keyPath)
    {
        using X509Certificate2 ephemeral = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        // A key that SslStream can use on every platform (Windows refuses ephemeral keys): round-trip through PKCS#12.
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), password: null);
    }
}
