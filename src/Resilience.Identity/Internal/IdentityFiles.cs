using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Resilience.Identity.Internal;

/// <summary>
/// Reads a <see cref="WorkloadIdentity"/> from its three PEM files, each read once so that the set is one snapshot,
/// and says in full what is wrong when it cannot: used by start validation and by every reload.
/// </summary>
internal static class IdentityFiles
{
    /// <summary>Loads the identity, or returns <see langword="null"/> and adds one message per problem to <paramref name="errors"/>.</summary>
    /// <param name="options">The file paths.</param>
    /// <param name="keyPrefix">What precedes an option's name in messages, such as <c>Identity:</c>.</param>
    /// <param name="now">The time at which the certificate must be valid.</param>
    /// <param name="errors">Receives the problems.</param>
    public static WorkloadIdentity? TryLoad(WorkloadIdentityOptions options, string keyPrefix, DateTimeOffset now, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(options);
        int before = errors.Count;
        string certificateKey = keyPrefix + nameof(WorkloadIdentityOptions.CertificateFile);
        string keyKey = keyPrefix + nameof(WorkloadIdentityOptions.KeyFile);
        string bundleKey = keyPrefix + nameof(WorkloadIdentityOptions.TrustBundleFile);
        string? certificatePem = Read(certificateKey, options.CertificateFile, errors);
        string? keyPem = Read(keyKey, options.KeyFile, errors);
        string? bundlePem = Read(bundleKey, options.TrustBundleFile, errors);

        X509Certificate2Collection? bundle = bundlePem is null ? null : ReadBundle(bundleKey, options.TrustBundleFile!, bundlePem, errors);
        X509Certificate2Collection? chain = certificatePem is null ? null : ReadChain(certificateKey, options.CertificateFile!, certificatePem, errors);
        if (chain is null)
        {
            return null;
        }

        X509Certificate2 leaf = chain[0];
        SpiffeId? id = SpiffeId.FromCertificate(leaf);
        if (id is null)
        {
            errors.Add($"{certificateKey} is '{options.CertificateFile}', but its certificate ({leaf.Subject}) has no SPIFFE ID: it must carry exactly one 'spiffe://' URI subject alternative name, such as spiffe://cluster.local/ns/default/sa/order-service.");
        }

        if (now < leaf.NotBefore || now > leaf.NotAfter)
        {
            string when = now > leaf.NotAfter
                ? string.Create(CultureInfo.InvariantCulture, $"expired at {leaf.NotAfter.ToUniversalTime():u}")
                : string.Create(CultureInfo.InvariantCulture, $"is not valid before {leaf.NotBefore.ToUniversalTime():u}");
            errors.Add($"{certificateKey} is '{options.CertificateFile}', but its certificate {when}: it must be valid now ({now.UtcDateTime.ToString("u", CultureInfo.InvariantCulture)}).");
        }

        X509Certificate2? withKey = keyPem is null ? null : Pair(certificatePem!, keyPem, certificateKey, options.CertificateFile!, keyKey, options.KeyFile!, errors);
        if (bundle is not null && !ChainsTo(leaf, chain, bundle, now, out string status))
        {
            errors.Add($"{certificateKey} is '{options.CertificateFile}', but its certificate does not chain to a CA of {bundleKey} ('{options.TrustBundleFile}'): {status}.");
        }

        if (errors.Count > before || withKey is null || id is null || bundle is null)
        {
            withKey?.Dispose();
            return null;
        }

        chain.RemoveAt(0);
        return new WorkloadIdentity(id, withKey, chain, bundle);
    }

    /// <summary>Builds the chain of <paramref name="certificate"/> against <paramref name="roots"/> only; <paramref name="status"/> says why not.</summary>
    public static bool ChainsTo(X509Certificate2 certificate, X509Certificate2Collection? extra, X509Certificate2Collection roots, DateTimeOffset now, out string status)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        if (extra is not null)
        {
            chain.ChainPolicy.ExtraStore.AddRange(extra);
        }

        if (chain.Build(certificate))
        {
            status = string.Empty;
            return true;
        }

        status = string.Join("; ", chain.ChainStatus.Select(static s => s.StatusInformation.Trim()).Where(static s => s.Length > 0).Distinct());
        if (status.Length == 0)
        {
            status = "the chain could not be built";
        }

        return false;
    }

    private static string? Read(string key, string? path, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            errors.Add($"{key} is empty, but it must be the path of a PEM file.");
            return null;
        }

        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            string what = e is FileNotFoundException or DirectoryNotFoundException ? "no such file exists" : $"it could not be read ({e.Message})";
            errors.Add($"{key} is '{path}', but {what}; it must be the path of a readable PEM file.");
            return null;
        }
    }

    private static X509Certificate2Collection? ReadBundle(string key, string path, string pem, List<string> errors)
    {
        var bundle = new X509Certificate2Collection();
        try
        {
            bundle.ImportFromPem(pem);
        }
        catch (CryptographicException e)
        {
            errors.Add($"{key} is '{path}', but it could not be read as PEM certificates ({e.Message}).");
            return null;
        }

        if (bundle.Count == 0)
        {
            errors.Add($"{key} is '{path}', but the bundle is empty: it must hold at least one '-----BEGIN CERTIFICATE-----' block, the CA certificates of the trust domain.");
            return null;
        }

        return bundle;
    }

    private static X509Certificate2Collection? ReadChain(string key, string path, string pem, List<string> errors)
    {
        var chain = new X509Certificate2Collection();
        try
        {
            chain.ImportFromPem(pem);
        }
        catch (CryptographicException e)
        {
            errors.Add($"{key} is '{path}', but it could not be read as PEM certificates ({e.Message}).");
            return null;
        }

        if (chain.Count == 0)
        {
            errors.Add($"{key} is '{path}', but it holds no certificate: it must hold the workload's certificate, then its intermediates, as '-----BEGIN CERTIFICATE-----' blocks.");
            return null;
        }

        return chain;
    }

    private static X509Certificate2? Pair(string certificatePem, string keyPem, string certificateKey, string certificatePath, string keyKey, string keyPath, List<string> errors)
    {
        try
        {
            using X509Certificate2 ephemeral = X509Certificate2.CreateFromPem(certificatePem, keyPem);
            // A key that SslStream can use on every platform (Windows refuses ephemeral keys): round-trip through PKCS#12.
            return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), password: null, X509KeyStorageFlags.Exportable);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            // A key of another certificate is an ArgumentException ("does not match the public key"); an unreadable one a CryptographicException.
            errors.Add($"{keyKey} is '{keyPath}', but it is not the private key of the certificate in {certificateKey} ('{certificatePath}'): {e.Message} It must be the unencrypted PEM key written with that certificate.");
            return null;
        }
    }
}
