using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Resilience.Identity.Internal;

/// <summary>
/// Authenticates a request by the SPIFFE ID its connection's client certificate proved at the handshake: the principal
/// has the claim <see cref="SpiffeId.ClaimType"/> (also its name). A connection not made by <c>UseWorkloadIdentity</c>
/// gives no result.
/// </summary>
internal sealed class WorkloadIdentityAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        SpiffeId? id = Context.Features.Get<WorkloadPeerFeature>()?.Id;
        if (id is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var identity = new ClaimsIdentity([new Claim(SpiffeId.ClaimType, id.Value)], Scheme.Name, SpiffeId.ClaimType, ClaimTypes.Role);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }
}
