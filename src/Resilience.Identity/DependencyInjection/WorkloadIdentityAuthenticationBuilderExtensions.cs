using Microsoft.AspNetCore.Authentication;
using Resilience.Identity;
using Resilience.Identity.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The authentication scheme of calling workloads, by the SPIFFE ID their client certificate proved.</summary>
public static class WorkloadIdentityAuthenticationBuilderExtensions
{
    /// <summary>The name of the scheme: <c>WorkloadIdentity</c>.</summary>
    public const string AuthenticationScheme = "WorkloadIdentity";

    /// <summary>
    /// Adds the scheme <see cref="AuthenticationScheme"/>: on a connection accepted by <c>UseWorkloadIdentity()</c>, the
    /// request's principal carries the caller's SPIFFE ID as the claim <see cref="SpiffeId.ClaimType"/> (also its name);
    /// on any other connection the scheme gives no result.
    /// </summary>
    /// <remarks>
    /// The certificate was checked at the handshake (chained to the trust bundle, with a SPIFFE ID), so the scheme only
    /// reads what the handshake recorded on the connection: it never trusts a certificate it did not check.
    /// </remarks>
    /// <param name="builder">The authentication builder, such as <c>services.AddAuthentication(WorkloadIdentityAuthenticationBuilderExtensions.AuthenticationScheme)</c>.</param>
    /// <returns>The builder.</returns>
    public static AuthenticationBuilder AddWorkloadIdentity(this AuthenticationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddScheme<AuthenticationSchemeOptions, WorkloadIdentityAuthenticationHandler>(AuthenticationScheme, "Workload identity (SPIFFE)", null);
    }
}
