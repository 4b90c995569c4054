using Resilience.Identity;
using Resilience.Identity.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Mutual TLS with workload identities for a named <see cref="HttpClient"/>.</summary>
public static class WorkloadIdentityHttpClientBuilderExtensions
{
    /// <summary>
    /// Makes the client present this workload's certificate (chosen at each handshake, so a rotation reaches every new
    /// connection) and accept a server only when its certificate chains to this workload's trust bundle (not the
    /// machine's store) and carries the identity its endpoint registered in discovery.
    /// </summary>
    /// <remarks>
    /// <para>The expected identity comes with each attempt from the handler that chose the endpoint:
    /// <c>AddEndpointRouting</c> or <c>AddEndpointResolution</c> put the endpoint's registered identity
    /// (<c>ServiceRegistrationOptions.Identity</c>, published in the registry) on the request as
    /// <see cref="Resilience.Http.ExpectedServerIdentity"/>, and any other handler may set it. It is checked once per
    /// connection, after the handshake and before the request is written. An endpoint that registered no identity is
    /// refused: pin one with <see cref="AddWorkloadIdentity(IHttpClientBuilder, string)"/> instead.</para>
    /// <para>It sets the client's primary handler (a <see cref="SocketsHttpHandler"/>) and needs
    /// <c>services.AddWorkloadIdentity(…)</c>. Requests go over mutual TLS only: an <c>http</c> address is refused.
    /// A refusal fails the request with an <see cref="HttpRequestException"/>
    /// (<see cref="HttpRequestError.SecureConnectionError"/>) whose message gives the reason, with a
    /// <see cref="WorkloadIdentityMismatchException"/> inside it when the server presented another identity. It is not
    /// retried by Resilience.Http's retry, a circuit breaker records it as a failure, and endpoint routing counts it
    /// against the endpoint.</para>
    /// </remarks>
    /// <param name="builder">The client's builder.</param>
    /// <returns>The builder.</returns>
    public static IHttpClientBuilder AddWorkloadIdentity(this IHttpClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return AddClientHandler(builder, null);
    }

    /// <summary>
    /// Makes the client present this workload's certificate (chosen at each handshake, so a rotation reaches every new
    /// connection) and accept a server only when its certificate chains to this workload's trust bundle (not the
    /// machine's store) and carries <paramref name="expectedServerId"/>.
    /// </summary>
    /// <remarks>
    /// <para>The pinned identity is checked in the handshake, for every server of the client, whatever identity an
    /// endpoint registered in discovery: configuration is trusted over the registry. Without a pin, use
    /// <see cref="AddWorkloadIdentity(IHttpClientBuilder)"/>, which expects each endpoint's registered identity.</para>
    /// <para>It sets the client's primary handler (a <see cref="SocketsHttpHandler"/>); it needs
    /// <c>services.AddWorkloadIdentity(…)</c>. Host names are not checked: the SPIFFE ID names the server. Requests go
    /// over mutual TLS only: an <c>http</c> address is refused. A server with another ID fails the request with an
    /// <see cref="HttpRequestException"/> (<see cref="HttpRequestError.SecureConnectionError"/>) whose message names
    /// both IDs and whose inner exception is a <see cref="WorkloadIdentityMismatchException"/>; an untrusted server
    /// fails the same way with the chain's problem. Neither is retried by Resilience.Http's retry, and a circuit
    /// breaker records both as failures.</para>
    /// </remarks>
    /// <param name="builder">The client's builder.</param>
    /// <param name="expectedServerId">The server's SPIFFE ID, such as <c>spiffe://cluster.local/ns/default/sa/pricing</c>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="FormatException"><paramref name="expectedServerId"/> is not a SPIFFE ID.</exception>
    public static IHttpClientBuilder AddWorkloadIdentity(this IHttpClientBuilder builder, string expectedServerId)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return AddClientHandler(builder, SpiffeId.Parse(expectedServerId));
    }

    private static IHttpClientBuilder AddClientHandler(IHttpClientBuilder builder, SpiffeId? pinned) =>
        builder.ConfigurePrimaryHttpMessageHandler(services => new WorkloadIdentityClientHandler(
            services.GetService<WorkloadIdentityProvider>()
                ?? throw new InvalidOperationException($"The client '{builder.Name}' uses {(pinned is null ? "AddWorkloadIdentity()" : $"AddWorkloadIdentity(\"{pinned}\")")}, which needs the workload's identity: call services.AddWorkloadIdentity(…) too."),
            pinned,
            builder.Name,
            services.GetService<TimeProvider>() ?? TimeProvider.System));
}
