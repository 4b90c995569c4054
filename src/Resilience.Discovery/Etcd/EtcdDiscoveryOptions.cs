using Resilience.Discovery.Internal;

namespace Resilience.Discovery;

/// <summary>
/// Where the etcd registry is and how instances are kept in it: bound from configuration (such as
/// <c>Discovery:Etcd</c>) by <c>AddEtcdServiceDiscovery</c> and validated at start.
/// </summary>
/// <remarks>
/// An instance of service <c>inventory</c> is the key <c>{Prefix}inventory/{instance id}</c>, whose value is a JSON
/// object (<c>address</c>, <c>weight</c>, <c>version</c>, <c>zone</c>), bound to a lease of <see cref="Ttl"/>.
/// </remarks>
public sealed class EtcdDiscoveryOptions
{
    /// <summary>Gets the client URLs of the etcd cluster, such as <c>http://10.0.0.5:2379</c>; <c>https</c> URLs use TLS, trusting the machine's roots or <see cref="TrustedCaFile"/>.</summary>
    /// <value>The default value is empty: at least one is required.</value>
    public IList<string> Endpoints { get; } = [];

    /// <summary>Gets or sets the key prefix every service is stored under; it starts and ends with <c>/</c>.</summary>
    /// <value>The default value is <c>/services/</c>.</value>
    public string Prefix { get; set; } = EtcdDiscoveryConstants.DefaultPrefix;

    /// <summary>Gets or sets the time-to-live of an instance's lease: a crashed instance disappears this long after its last keep-alive.</summary>
    /// <value>The default value is 10 seconds. Whole seconds, from 1 second to 1 hour.</value>
    /// <remarks>The lease is kept alive every third of the TTL.</remarks>
    public TimeSpan Ttl { get; set; } = EtcdDiscoveryConstants.DefaultTtl;

    /// <summary>Gets or sets the etcd user, when the cluster has authentication enabled; set with <see cref="Password"/>.</summary>
    /// <value>The default value is <see langword="null"/>: no authentication.</value>
    public string? Username { get; set; }

    /// <summary>Gets or sets the password of <see cref="Username"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Password { get; set; }

    /// <summary>
    /// Gets or sets the path of a PEM file of the CA certificates that sign the etcd servers' certificates, trusted
    /// instead of the machine's roots (etcd's <c>--trusted-ca-file</c>); every endpoint must then be <c>https</c>.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: <c>https</c> endpoints are validated against the machine's trusted roots.</value>
    public string? TrustedCaFile { get; set; }

    /// <summary>
    /// Gets or sets the path of the PEM certificate this client presents to etcd (mutual TLS, etcd's
    /// <c>--client-cert-auth</c>); set with <see cref="ClientKeyFile"/>, and every endpoint must then be <c>https</c>.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: no client certificate.</value>
    public string? ClientCertificateFile { get; set; }

    /// <summary>Gets or sets the path of the PEM private key (PKCS#8, PKCS#1 or SEC1, unencrypted) of <see cref="ClientCertificateFile"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? ClientKeyFile { get; set; }
}
