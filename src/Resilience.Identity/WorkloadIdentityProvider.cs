using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Primitives;

namespace Resilience.Identity;

/// <summary>
/// The current identity of this workload, replaced when its files rotate. Registered by
/// <c>services.AddWorkloadIdentity(…)</c>; the client and server sides read <see cref="Current"/> at each TLS handshake.
/// </summary>
/// <remarks>
/// Reading <see cref="Current"/> takes no lock and allocates nothing. A rotation is published only once the
/// certificate, its key and the bundle load as a consistent set: while a rotation is half written (a new certificate
/// beside the old key, say), <see cref="Current"/> keeps the last good identity and a warning is logged.
/// </remarks>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "Each replaced source is disposed when it fires; the last lives as long as the singleton, and a public Dispose would let a caller break the change tokens.")]
public sealed class WorkloadIdentityProvider
{
    private WorkloadIdentity _current;
    private CancellationTokenSource _changed = new();

    internal WorkloadIdentityProvider(WorkloadIdentity initial) => _current = initial;

    /// <summary>Gets the identity that new connections use.</summary>
    public WorkloadIdentity Current => Volatile.Read(ref _current);

    /// <summary>Gets a token that fires once, when <see cref="Current"/> is next replaced.</summary>
    /// <returns>The change token.</returns>
    public IChangeToken GetChangeToken() => new CancellationChangeToken(Volatile.Read(ref _changed).Token);

    /// <summary>Replaces <see cref="Current"/> and fires the change token; called by one reloading thread at a time.</summary>
    internal void Publish(WorkloadIdentity next)
    {
        Volatile.Write(ref _current, next);
        CancellationTokenSource previous = Interlocked.Exchange(ref _changed, new CancellationTokenSource());
        previous.Cancel();
        previous.Dispose();
    }
}
