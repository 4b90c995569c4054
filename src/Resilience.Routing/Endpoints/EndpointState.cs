using System.Collections.Concurrent;
using System.Diagnostics;

namespace Resilience.Routing.Internal;

/// <summary>
/// The state of one endpoint of a service that outlives endpoint-set versions: active and pending requests, the time it
/// joined (for slow start), whether it is ejected, and the outlier statistics of the ejection detectors.
/// </summary>
/// <remarks>
/// Kept by <see cref="ServiceEndpoints"/> while the endpoint stays in its service's set, keyed by its authority
/// (<c>scheme://host:port</c>: the resolver builds new <c>DiscoveredEndpoint</c> objects for every set), and dropped
/// when it leaves; a request in flight keeps its reference and releases it as usual.
/// <para>Active requests count the requests holding a slot; with a <c>MaxRequests</c> limit, the others wait in a
/// bounded queue (<see cref="EnterQueuedAsync"/>). Entering and leaving take no lock; only waiting allocates.</para>
/// </remarks>
internal sealed class EndpointState
{
    /// <summary>The limit that means none: entering only counts.</summary>
    public const int Unlimited = int.MaxValue;

    private readonly ConcurrentQueue<Waiter> _waiters = new();
    private int _active;
    private int _pending;
    private volatile bool _isEjected;

    public EndpointState(string key, long joinedAt)
    {
        Key = key;
        JoinedAt = joinedAt;
    }

    /// <summary>Gets the endpoint's authority, such as <c>http://10.0.0.7:5001</c>.</summary>
    public string Key { get; }

    /// <summary>Gets the <see cref="TimeProvider.GetTimestamp"/> at which the endpoint joined, or <see cref="EndpointJoin.Initial"/>.</summary>
    public long JoinedAt { get; }

    /// <summary>Gets the requests in flight to the endpoint.</summary>
    public int ActiveRequests => Volatile.Read(ref _active);

    /// <summary>Gets the requests waiting for a slot.</summary>
    public int PendingRequests => Volatile.Read(ref _pending);

    /// <summary>Gets or sets whether outlier detection ejected the endpoint: policies then skip it.</summary>
    public bool IsEjected
    {
        get => _isEjected;
        set => _isEjected = value;
    }

    /// <summary>The outlier statistics of the endpoint, owned by outlier detection (Outliers/); <see langword="null"/> until it attaches them.</summary>
    internal object? Outlier;

    /// <summary>Takes a slot if fewer than <paramref name="maxRequests"/> requests are active.</summary>
    public bool TryEnter(int maxRequests)
    {
        if (maxRequests == Unlimited)
        {
            Interlocked.Increment(ref _active);
            return true;
        }

        int active = Volatile.Read(ref _active);
        while (active < maxRequests)
        {
            int seen = Interlocked.CompareExchange(ref _active, active + 1, active);
            if (seen == active)
            {
                return true;
            }

            active = seen;
        }

        return false;
    }

    /// <summary>
    /// Waits for a slot in the queue, or throws <see cref="EndpointPoolFullException"/> when
    /// <paramref name="maxPendingRequests"/> requests already wait.
    /// </summary>
    public async Task EnterQueuedAsync(int maxRequests, int maxPendingRequests, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _pending) > maxPendingRequests)
        {
            Interlocked.Decrement(ref _pending);
            throw new EndpointPoolFullException(Key);
        }

        var waiter = new Waiter(this);
        _waiters.Enqueue(waiter);
        if (cancellationToken.CanBeCanceled)
        {
            waiter.Registration = cancellationToken.Register(static s => ((Waiter)s!).Cancel(), waiter);
        }

        // A slot freed between TryEnter and Enqueue has found no waiter: look again.
        Drain(maxRequests);
        await waiter.Task.ConfigureAwait(false);
    }

    /// <summary>Gives the slot back, to the first waiter if there is one.</summary>
    public void Exit(int maxRequests)
    {
        int active = Interlocked.Decrement(ref _active);
        Debug.Assert(active >= 0, "Every Exit follows an Enter.");
        if (maxRequests != Unlimited)
        {
            Drain(maxRequests);
        }
    }

    /// <summary>
    /// Hands free slots to waiters. A slot is taken before a waiter is dequeued and given back when there is none (or
    /// it was cancelled); the queue is looked at again after each give-back, so that a waiter enqueued meanwhile, whose
    /// own look found the slot taken, is not left waiting.
    /// </summary>
    private void Drain(int maxRequests)
    {
        while (!_waiters.IsEmpty)
        {
            if (!TryEnter(maxRequests))
            {
                return; // a holder's Exit drains again
            }

            if (_waiters.TryDequeue(out Waiter? waiter) && waiter.Grant())
            {
                continue;
            }

            Interlocked.Decrement(ref _active);
        }
    }

    private sealed class Waiter(EndpointState state) : TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public CancellationTokenRegistration Registration { get; set; }

        public bool Grant()
        {
            if (!TrySetResult())
            {
                return false; // cancelled: its slot goes to the next
            }

            Interlocked.Decrement(ref state._pending);
            Registration.Dispose();
            return true;
        }

        public void Cancel()
        {
            if (TrySetCanceled())
            {
                Interlocked.Decrement(ref state._pending);
            }
        }
    }
}
