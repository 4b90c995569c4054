using Resilience.Identity;
using Resilience.Identity.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Mutual TLS with workload identities for a named <see cref="HttpClient"/>.</summary>
public static class WorkloadIdentityHttpClientBuilderExtensions
{
    /// <summary>
    /// Makes the client present this workload's certificate (chosen at each handshake, so a rotation reaches every new
    /// connection) and accept a server only when its certificate chains to this workload's trust bundle (not the
    /// machine's store) and carries <paramref name="expectedServerId"/>.
    /// </summary>
    /// <remarks>
    /// It sets the client's primary handler (a <see cref="SocketsHttpHandler"/>); it needs
    /// <c>services.AddWorkloadIdentity(…)</c>. Host names are not checked: the SPIFFE ID names the server. A server
    /// with another ID fails the request with an <see cref="HttpRequestException"/>
    /// (<see cref="HttpRequestError.SecureConnectionError"/>) whose message names both IDs and whose inner exception is
    /// a <see cref="WorkloadIdentityMismatchException"/>; an untrusted server fails the same way with the chain's
    /// problem. Neither is retried by Resilience.Http's retry, and a circuit breaker records both as failures.
    /// </remarks>
    /// <param name="builder">The client's builder.</param>
    /// <param name="expectedServerId">The server's SPIFFE ID, such as <c>spiffe://cluster.local/ns/default/sa/pricing</c>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="FormatException"><paramref name="expectedServerId"/> is not a SPIFFE ID.</exception>
    public static IHttpClientBuilder AddWorkloadIdentity(this IHttpClientBuilder builder, string expectedServerId)
    {
        ArgumentNullException.ThrowIfNull(builder);
        SpiffeId expected = SpiffeId.Parse(expectedServerId);
        return builder.ConfigurePrimaryHttpMessageHandler(services => new WorkloadIdentityClientHandler(
            services.GetService<WorkloadIdentityProvider>()
                ?? throw new InvalidOperationException($"The client '{builder.Name}' uses AddWorkloadIdentity(\"{expected}\"), which needs the workload's identity: call services.AddWorkloadIdentity(…) too."),
            expected,
            services.GetService<TimeProvider>() ?? TimeProvider.System));
    }
}
