using System.Net.Security;
using System.Security.Authentication;

namespace Resilience.Identity.Internal;

/// <summary>
/// The primary handler of a client with a workload identity: a <see cref="SocketsHttpHandler"/> that presents the
/// current identity's certificate at each handshake and checks the server's, wrapped so that a refusal's reason becomes
/// the message of the <see cref="HttpRequestException"/> the caller sees (SocketsHttpHandler's own message only says
/// to see the inner exception).
/// </summary>
internal sealed class WorkloadIdentityClientHandler : DelegatingHandler
{
    public WorkloadIdentityClientHandler(WorkloadIdentityProvider provider, SpiffeId expectedServer, TimeProvider timeProvider)
        : base(CreateSocketsHandler(provider, expectedServer, timeProvider))
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
        refusal = exception.InnerException as AuthenticationException;
        return exception.HttpRequestError == HttpRequestError.SecureConnectionError && refusal is WorkloadIdentityMismatchException or UntrustedPeerException;
    }

    private static SocketsHttpHandler CreateSocketsHandler(WorkloadIdentityProvider provider, SpiffeId expectedServer, TimeProvider timeProvider) => new()
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            // Asked at every handshake, so a rotated identity is presented by every new connection.
            LocalCertificateSelectionCallback = (_, _, _, _, _) => provider.Current.Certificate,
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                PeerCertificates.ValidateServer(provider.Current, expectedServer, certificate, chain, errors, timeProvider.GetUtcNow()),
            // Every new connection makes a full handshake, so it presents the current certificate, not a cached session's.
            AllowTlsResume = false,
            CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
        },
    };
}
