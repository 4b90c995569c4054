namespace Resilience.Identity.Internal;

/// <summary>
/// A connection feature set by the server's handshake: the SPIFFE ID of a client whose certificate chained to the trust
/// bundle. Only a handshake made by <c>UseWorkloadIdentity</c> sets it, so the authentication handler never trusts a
/// certificate it did not check.
/// </summary>
internal sealed class WorkloadPeerFeature
{
    public SpiffeId? Id { get; set; }
}
