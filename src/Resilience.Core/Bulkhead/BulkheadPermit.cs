using System.Diagnostics.CodeAnalysis;

namespace Resilience;

/// <summary>
/// A permit of a <see cref="Bulkhead"/>: the right for one call to run, from
/// <see cref="Bulkhead.TryAcquirePermission(out BulkheadPermit)"/>, <see cref="Bulkhead.AcquirePermission"/> or
/// <see cref="Bulkhead.AcquirePermissionAsync"/>. Complete it exactly once: with <see cref="Complete"/> when the call
/// ran, or <see cref="Release"/> when it did not.
/// </summary>
/// <remarks>
/// <para>The permit goes back to the bulkhead, and to its oldest waiting call if any, on completion.</para>
/// <para><b>Misuse.</b> Completing <see langword="default"/>(<see cref="BulkheadPermit"/>) throws
/// <see cref="InvalidOperationException"/>. Completing a permit twice is a bug that Debug builds of the library detect
/// (they throw <see cref="InvalidOperationException"/>); in Release builds a second completion gives a permit back
/// that another call may hold, though never above the limit. A permit that is never completed is lost until the
/// process ends: complete it in a <see langword="finally"/> block.</para>
/// </remarks>
public readonly struct BulkheadPermit
{
    private readonly Bulkhead? _bulkhead;
#if DEBUG
    private readonly long _id;
#endif

    internal BulkheadPermit(Bulkhead bulkhead)
    {
        _bulkhead = bulkhead;
#if DEBUG
        _id = bulkhead.OutstandingPermits.Register();
#endif
    }

    /// <summary>Gives the permit back after the call ran, and publishes <see cref="BulkheadEventType.CallFinished"/>.</summary>
    /// <exception cref="InvalidOperationException">The permit is <see langword="default"/>, or (Debug builds) it was already completed.</exception>
    /// <remarks>Whether the call succeeded or failed makes no difference, as in Resilience4j.</remarks>
    public void Complete() => Take().CompleteCall();

    /// <summary>Gives the permit back without publishing an event: for a permit that was taken but whose call never ran.</summary>
    /// <exception cref="InvalidOperationException">The permit is <see langword="default"/>, or (Debug builds) it was already completed.</exception>
    public void Release() => Take().ReleasePermit();

    /// <summary>Checks that the permit is real and (Debug builds) not yet completed, and marks it completed.</summary>
    private Bulkhead Take()
    {
        Bulkhead? bulkhead = _bulkhead;
        if (bulkhead is null)
        {
            ThrowDefault();
        }

#if DEBUG
        bulkhead.OutstandingPermits.Complete(_id, "bulkhead", bulkhead.Name, "Complete or Release");
#endif
        return bulkhead;
    }

    [DoesNotReturn]
    private static void ThrowDefault() =>
        throw new InvalidOperationException("This bulkhead permit was not acquired: it is default(BulkheadPermit). Acquire one with Bulkhead.TryAcquirePermission, AcquirePermission or AcquirePermissionAsync.");
}
