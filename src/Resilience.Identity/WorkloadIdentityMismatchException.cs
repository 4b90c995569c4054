using System.Security.Authentication;

namespace Resilience.Identity;

/// <summary>
/// A server presented a trusted certificate whose SPIFFE ID is not the one the client expects for that destination.
/// </summary>
/// <remarks>
/// It ends the TLS handshake, so the request fails with an <see cref="HttpRequestException"/> whose
/// <see cref="HttpRequestException.HttpRequestError"/> is <see cref="HttpRequestError.SecureConnectionError"/>, whose
/// message is this one and whose inner exception is this. Resilience.Http's retry does not retry it (another attempt
/// meets the same server), and a circuit breaker records it as a failure of that endpoint.
/// </remarks>
public sealed class WorkloadIdentityMismatchException : AuthenticationException
{
    /// <summary>Initializes a new instance of the <see cref="WorkloadIdentityMismatchException"/> class.</summary>
    /// <param name="expected">The SPIFFE ID the client expects.</param>
    /// <param name="presented">The SPIFFE ID of the server's certificate, or <see langword="null"/> when it has none.</param>
    public WorkloadIdentityMismatchException(SpiffeId expected, SpiffeId? presented)
        : base(presented is null
            ? $"The server presented a certificate without a SPIFFE ID, but this client expects '{expected}'."
            : $"The server presented the workload identity '{presented}', but this client expects '{expected}'.")
    {
        ArgumentNullException.ThrowIfNull(expected);
        Expected = expected;
        Presented = presented;
    }

    /// <summary>Gets the SPIFFE ID the client expects.</summary>
    public SpiffeId Expected { get; }

    /// <summary>Gets the SPIFFE ID the server presented, or <see langword="null"/> when its certificate has none.</summary>
    public SpiffeId? Presented { get; }
}
