#if DEBUG
namespace Resilience.Internal;

/// <summary>
/// Debug builds only: the ids of the permits a primitive granted and that were not yet completed, so that a second
/// completion of the same permit throws instead of silently giving a permit back twice.
/// </summary>
/// <remarks>
/// A lock-free, allocation-free (after the first permit) open-addressing set of ids with linear probing. A slot goes
/// from empty to an id, and from an id to completed; a completed slot may take a new id, but no slot ever becomes empty
/// again, so the probe for an id never stops at an empty slot before the id's own. When every slot holds an
/// outstanding id (permits that are never completed), new permits are not tracked: their completions are not checked.
/// </remarks>
internal sealed class OutstandingPermits
{
    private const int Capacity = 512; // a power of two
    private const long Empty = 0;
    private const long Completed = -1;
    private long[]? _slots;
    private long _lastId;

    /// <summary>Registers a new permit.</summary>
    /// <returns>Its id, or 0 if it is not tracked.</returns>
    public long Register()
    {
        long[] slots = Volatile.Read(ref _slots) ?? CreateSlots();
        long id = Interlocked.Increment(ref _lastId);
        int start = SlotOf(id);
        for (int i = 0; i < Capacity; i++)
        {
            ref long slot = ref slots[(start + i) & (Capacity - 1)];
            long seen = Volatile.Read(ref slot);
            if (seen is Empty or Completed && Interlocked.CompareExchange(ref slot, id, seen) == seen)
            {
                return id;
            }
        }

        return 0;
    }

    /// <summary>Marks the permit completed.</summary>
    /// <param name="id">The permit's id; 0 for a permit that is not tracked.</param>
    /// <param name="kind">The kind of primitive, for the message.</param>
    /// <param name="name">The primitive's name, for the message.</param>
    /// <param name="completions">The completion methods, for the message.</param>
    /// <exception cref="InvalidOperationException">It was already completed.</exception>
    public void Complete(long id, string kind, string name, string completions)
    {
        if (id == 0)
        {
            return;
        }

        long[] slots = Volatile.Read(ref _slots)!;
        int start = SlotOf(id);
        for (int i = 0; i < Capacity; i++)
        {
            ref long slot = ref slots[(start + i) & (Capacity - 1)];
            long seen = Volatile.Read(ref slot);
            if (seen == id)
            {
                if (Interlocked.CompareExchange(ref slot, Completed, id) == id)
                {
                    return;
                }

                break; // completed by another thread at this very moment
            }

            if (seen == Empty)
            {
                break;
            }
        }

        throw new InvalidOperationException($"This permit of {kind} '{name}' was already completed: a permit ends with exactly one of {completions}.");
    }

    private static int SlotOf(long id) => (int)((ulong)id * 0x9E3779B97F4A7C15UL >> 55); // the top 9 bits: 0..511

    private long[] CreateSlots()
    {
        Interlocked.CompareExchange(ref _slots, new long[Capacity], null);
        return _slots!;
    }
}
#endif
