using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Resilience.Identity.Internal;

/// <summary>The TLS options of each connection Kestrel accepts with a workload identity.</summary>
internal sealed class WorkloadIdentityServer(IServiceProvider services, HttpProtocols protocols)
{
    private readonly List<SslApplicationProtocol> _protocols = Alpn(protocols);
    private WorkloadIdentityProvider? _provider;
    private TimeProvider? _timeProvider;
    private ILogger? _logger;

    /// <summary>
    /// The options of one handshake: the current identity's certificate and intermediates, a client certificate
    /// required and checked against the current bundle, and its SPIFFE ID recorded on the connection.
    /// </summary>
    public SslServerAuthenticationOptions CreateOptions(TlsHandshakeCallbackContext context)
    {
        // Resolved at the first handshake, after the host has validated the options at start.
        WorkloadIdentityProvider provider = _provider ??= services.GetService<WorkloadIdentityProvider>()
            ?? throw new InvalidOperationException("UseWorkloadIdentity() needs the workload's identity: call services.AddWorkloadIdentity(…) too.");
        TimeProvider time = _timeProvider ??= services.GetService<TimeProvider>() ?? TimeProvider.System;
        ILogger logger = _logger ??= services.GetService<ILoggerFactory>()?.CreateLogger(IdentityLog.Category) ?? NullLogger.Instance;

        WorkloadIdentity identity = provider.Current;
        var peer = new WorkloadPeerFeature();
        context.Connection.Features.Set(peer);
        return new SslServerAuthenticationOptions
        {
            ServerCertificateContext = identity.ServerContext,
            ClientCertificateRequired = true,
            // A resumed session would skip the client's certificate: a rotated, expired or newly distrusted one would pass.
            AllowTlsResume = false,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            ApplicationProtocols = _protocols,
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
            {
                SpiffeId? id = PeerCertificates.Validate(identity, certificate, chain, errors, time.GetUtcNow(), out bool _, out string? reason);
                if (id is null)
                {
                    IdentityLog.PeerRefused(logger, $"the client of {identity.Id} was refused: {reason}.");
                    return false;
                }

                peer.Id = id;
                return true;
            },
        };
    }

    private static List<SslApplicationProtocol> Alpn(HttpProtocols protocols)
    {
        var alpn = new List<SslApplicationProtocol>(2);
        if ((protocols & HttpProtocols.Http2) != 0)
        {
            alpn.Add(SslApplicationProtocol.Http2);
        }

        if ((protocols & HttpProtocols.Http1) != 0)
        {
            alpn.Add(SslApplicationProtocol.Http11);
        }

        return alpn;
    }
}
