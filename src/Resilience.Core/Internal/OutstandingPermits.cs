#if DEBUG
using System.Collections.Concurrent;

namespace Resilience.Internal;

/// <summary>
/// Debug builds only: the ids of the permits a primitive granted and that were not yet completed, so that a second
/// completion of the same permit throws instead of silently giving a permit back twice.
/// </summary>
internal sealed class OutstandingPermits
{
    private readonly ConcurrentDictionary<long, bool> _ids = new();
    private long _lastId;

    /// <summary>Registers a new permit and returns its id.</summary>
    public long Register()
    {
        long id = Interlocked.Increment(ref _lastId);
        _ids[id] = true;
        return id;
    }

    /// <summary>Marks the permit completed.</summary>
    /// <param name="id">The permit's id.</param>
    /// <param name="owner">The primitive, for the message, such as "circuit breaker 'orders'".</param>
    /// <param name="completions">The completion methods, for the message.</param>
    /// <exception cref="InvalidOperationException">It was already completed.</exception>
    public void Complete(long id, string owner, string completions)
    {
        if (!_ids.TryRemove(id, out _))
        {
            throw new InvalidOperationException($"This permit of {owner} was already completed: a permit ends with exactly one of {completions}.");
        }
    }
}
#endif
