using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Resilience.Identity.Internal;

namespace Microsoft.AspNetCore.Hosting;

/// <summary>Mutual TLS with workload identities for a Kestrel endpoint.</summary>
public static class WorkloadIdentityListenOptionsExtensions
{
    /// <summary>
    /// Serves the endpoint over TLS with this workload's certificate (chosen at each handshake, so a rotation reaches
    /// every new connection), requires a client certificate that chains to this workload's trust bundle (not the
    /// machine's store) and carries a SPIFFE ID, and refuses any other at the handshake.
    /// </summary>
    /// <remarks>
    /// It needs <c>services.AddWorkloadIdentity(…)</c>. The caller's SPIFFE ID becomes the claim
    /// <c>SpiffeId.ClaimType</c> of the request's principal through the authentication scheme of
    /// <c>AddAuthentication(…).AddWorkloadIdentity()</c> and <c>UseAuthentication()</c>. A refused client is logged as a
    /// warning under <c>Resilience.Identity</c>.
    /// </remarks>
    /// <param name="listenOptions">The endpoint.</param>
    /// <returns>The endpoint.</returns>
    public static ListenOptions UseWorkloadIdentity(this ListenOptions listenOptions)
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        var server = new WorkloadIdentityServer(listenOptions.ApplicationServices, listenOptions.Protocols);
        return listenOptions.UseHttps(new TlsHandshakeCallbackOptions
        {
            OnConnection = context => ValueTask.FromResult(server.CreateOptions(context)),
        });
    }
}
