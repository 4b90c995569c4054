namespace Resilience;

/// <summary>A small lock-free pool: a fast slot and a fixed array of slots, each taken and filled by compare-and-swap.</summary>
/// <remarks>
/// Renting and returning allocate nothing. When every slot is full, <see cref="TryReturn"/> refuses the item and
/// the caller drops it; when every slot is empty, <see cref="TryRent"/> returns <see langword="null"/> and the caller
/// creates one. An item is in at most one slot, because only a successful exchange from <see langword="null"/>
/// stores it and only a successful exchange to <see langword="null"/> hands it out.
/// </remarks>
/// <typeparam name="T">The pooled type.</typeparam>
internal sealed class TimeLimiterPool<T>
    where T : class
{
    private readonly T?[] _items;
    private T? _first;

    /// <summary>Creates a pool of <paramref name="size"/> slots.</summary>
    public TimeLimiterPool(int size = TimeLimiterConstants.PoolSize)
    {
        System.Diagnostics.Debug.Assert(size >= 1, "A pool has at least its fast slot.");
        _items = new T?[size - 1];
    }

    public T? TryRent()
    {
        T? item = Volatile.Read(ref _first);
        if (item is not null && Interlocked.CompareExchange(ref _first, null, item) == item)
        {
            return item;
        }

        T?[] items = _items;
        for (int i = 0; i < items.Length; i++)
        {
            item = Volatile.Read(ref items[i]);
            if (item is not null && Interlocked.CompareExchange(ref items[i], null, item) == item)
            {
                return item;
            }
        }

        return null;
    }

    public bool TryReturn(T item)
    {
        if (Volatile.Read(ref _first) is null && Interlocked.CompareExchange(ref _first, item, null) is null)
        {
            return true;
        }

        T?[] items = _items;
        for (int i = 0; i < items.Length; i++)
        {
            if (Volatile.Read(ref items[i]) is null && Interlocked.CompareExchange(ref items[i], item, null) is null)
            {
                return true;
            }
        }

        return false;
    }
}
