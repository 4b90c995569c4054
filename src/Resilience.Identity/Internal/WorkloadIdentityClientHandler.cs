using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Resilience.Http;

namespace Resilience.Identity.Internal;

/// <summary>
/// The primary handler of a client with a workload identity: a <see cref="SocketsHttpHandler"/> that presents the
/// current identity's certificate at each handshake and checks the server's, wrapped so that a refusal's reason becomes
/// the message of the <see cref="HttpRequestException"/> the caller sees (SocketsHttpHandler's own message only says
/// to see the inner exception).
/// </summary>
/// <remarks>
/// The handshake's validation callback checks the chain against the trust bundle, and the pinned identity when the
/// client names one. Without a pin, the expected identity is the endpoint's, which the handler that chose the endpoint
/// put on the request (<see cref="ExpectedServerIdentity"/>); the callback cannot see the request, so the connection's
/// plaintext filter checks it, once per connection, after the handshake and before the first request byte is written.
/// The pool keeps one set of connections per endpoint address, so a connection serves only the endpoint it was checked
/// for. A connection that is not TLS is refused there too: a client with a workload identity speaks only mutual TLS.
/// </remarks>
internal sealed class WorkloadIdentityClientHandler : DelegatingHandler
{
    public WorkloadIdentityClientHandler(WorkloadIdentityProvider provider, SpiffeId? pinnedServer, string clientName, TimeProvider timeProvider)
        : base(CreateSocketsHandler(provider, pinnedServer, clientName, timeProvider))
    {
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return base.Send(request, cancellationToken);
        }
        catch (HttpRequestException e) when (IsRefusal(e, out AuthenticationException? refusal))
        {
            throw new HttpRequestException(HttpRequestError.SecureConnectionError, refusal.Message, refusal);
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (IsRefusal(e, out AuthenticationException? refusal))
        {
            throw new HttpRequestException(HttpRequestError.SecureConnectionError, refusal.Message, refusal);
        }
    }

    private static bool IsRefusal(HttpRequestException exception, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out AuthenticationException? refusal)
    {
        // A refusal in the handshake's callback comes as a SecureConnectionError, one in the plaintext filter as another
        // error; both carry our exception, which decides.
        refusal = exception.InnerException as AuthenticationException;
        return refusal is WorkloadIdentityMismatchException or UntrustedPeerException;
    }

    private static SocketsHttpHandler CreateSocketsHandler(WorkloadIdentityProvider provider, SpiffeId? pinnedServer, string clientName, TimeProvider timeProvider) => new()
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            // Asked at every handshake, so a rotated identity is presented by every new connection.
            LocalCertificateSelectionCallback = (_, _, _, _, _) => provider.Current.Certificate,
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) => pinnedServer is null
                ? PeerCertificates.ValidateTrust(provider.Current, certificate, chain, errors, timeProvider.GetUtcNow())
                : PeerCertificates.ValidateServer(provider.Current, pinnedServer, certificate, chain, errors, timeProvider.GetUtcNow()),
            // Every new connection makes a full handshake, so it presents the current certificate, not a cached session's.
            AllowTlsResume = false,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        },
        PlaintextStreamFilter = (context, _) => CheckConnection(context, pinnedServer, clientName),
        // Over HTTP/2, a server's stream limit (100 in Kestrel) queues further requests behind one connection; open
        // another connection instead, as Envoy does.
        EnableMultipleHttp2Connections = true,
    };

    private static ValueTask<Stream> CheckConnection(SocketsHttpPlaintextStreamFilterContext context, SpiffeId? pinnedServer, string clientName)
    {
        HttpRequestMessage request = context.InitialRequestMessage;
        string endpoint = request.RequestUri!.GetLeftPart(UriPartial.Authority); // a connection is opened for an absolute address
        if (context.PlaintextStream is not SslStream tls)
        {
            throw new UntrustedPeerException(
                $"The client '{clientName}' has a workload identity, so it sends requests only over mutual TLS, but {endpoint} is not https.");
        }

        if (pinnedServer is not null)
        {
            return ValueTask.FromResult(context.PlaintextStream); // checked in the handshake
        }

        string? registered = ExpectedServerIdentity.Get(request);
        if (registered is null)
        {
            throw new UntrustedPeerException(
                $"The client '{clientName}' cannot check {endpoint}: the endpoint registered no identity in discovery, and the client pins none (AddWorkloadIdentity(expectedServerId)).");
        }

        if (!SpiffeId.TryParse(registered, out SpiffeId? expected))
        {
            throw new UntrustedPeerException($"The endpoint {endpoint} registered the identity '{registered}' in discovery, which is not a SPIFFE ID.");
        }

        // The handshake's callback accepted the certificate, so there is one.
        SpiffeId? presented = SpiffeId.FromCertificate(PeerCertificates.AsCertificate2(tls.RemoteCertificate!));
        return expected.Equals(presented) ? ValueTask.FromResult(context.PlaintextStream) : throw new WorkloadIdentityMismatchException(expected, presented);
    }
}
