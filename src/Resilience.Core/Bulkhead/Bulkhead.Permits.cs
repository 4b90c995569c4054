using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Resilience;

public sealed partial class Bulkhead
{
    private readonly Lock _queueLock = new();

    // The limit (high 32 bits) and the free permits (low 32 bits, signed: negative is a debt after the limit was
    // lowered), in one word so that a release can compare the two and a limit change can move both atomically.
    private long _permits;
    private int _waiterCount;
    private BulkheadWaiter? _head;
    private BulkheadWaiter? _tail;

    private enum Admission
    {
        Granted,
        Rejected,
        Queued,
    }

    private static long Pack(int max, int available) => ((long)max << 32) | (uint)available;

    private static int MaxOf(long permits) => (int)(permits >> 32);

    private static int AvailableOf(long permits) => (int)permits;

    /// <summary>Takes a free permit by compare-and-swap; the lock-free fast path.</summary>
    /// <param name="respectQueue">Refuse while calls wait, so that a new call does not barge ahead of them.</param>
    private bool TryTakePermit(bool respectQueue)
    {
        if (respectQueue && Volatile.Read(ref _waiterCount) != 0)
        {
            return false;
        }

        long current = Volatile.Read(ref _permits);
        while (AvailableOf(current) > 0)
        {
            long next = Pack(MaxOf(current), AvailableOf(current) - 1);
            long seen = Interlocked.CompareExchange(ref _permits, next, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }

        return false;
    }

    /// <summary>Adds one free permit, unless every permit is already free (an unmatched release).</summary>
    private bool TryReturnPermit()
    {
        long current = Volatile.Read(ref _permits);
        while (true)
        {
            int available = AvailableOf(current);
            Debug.Assert(available <= MaxOf(current), "free permits never exceed the limit");
            if (available >= MaxOf(current))
            {
                return false;
            }

            long seen = Interlocked.CompareExchange(ref _permits, Pack(MaxOf(current), available + 1), current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }
    }

    /// <summary>Returns a permit, handing it to the oldest waiter if any.</summary>
    /// <returns><see langword="false"/> if every permit was already free (an unmatched release), which is ignored.</returns>
    private bool ReturnPermitAndHandOff()
    {
        if (!TryReturnPermit())
        {
            return false;
        }

        // The compare-and-swap above is a full fence, and so is a waiter's increment of _waiterCount before it looks
        // at the permits under the lock: either it sees this permit, or this read sees it and drains.
        if (Volatile.Read(ref _waiterCount) != 0)
        {
            lock (_queueLock)
            {
                DrainUnsynchronized();
            }
        }

        return true;
    }

    private void ChangeLimit(int max)
    {
        long current = Volatile.Read(ref _permits);
        while (true)
        {
            // No overflow: free permits are at most the old limit, so free + (max − old) is at most max; and it is
            // at least max − (calls in flight), which is above int.MinValue.
            int available = AvailableOf(current) + (max - MaxOf(current));
            long seen = Interlocked.CompareExchange(ref _permits, Pack(max, available), current);
            if (seen == current)
            {
                break;
            }

            current = seen;
        }

        if (max > MaxOf(current) && Volatile.Read(ref _waiterCount) != 0)
        {
            lock (_queueLock)
            {
                DrainUnsynchronized();
            }
        }
    }

    /// <summary>The slow path of admission: takes a permit, or queues a waiter, or refuses when waiting is not allowed.</summary>
    private Admission Admit(out BulkheadWaiter? waiter)
    {
        waiter = null;
        WaitPolicy policy = Policy;
        if (!policy.CanWait)
        {
            return Admission.Rejected;
        }

        lock (_queueLock)
        {
            if ((!policy.Fair || _head is null) && TryTakePermit(respectQueue: false))
            {
                return Admission.Granted;
            }

            waiter = new BulkheadWaiter(this);
            EnqueueUnsynchronized(waiter);

            // A permit may have been released between the fast path and the enqueue; hand it over now.
            DrainUnsynchronized();
        }

        return Admission.Queued;
    }

    /// <summary>Takes a permit at once if one may be taken, publishing <see cref="BulkheadEventType.CallPermitted"/>; otherwise queues a waiter, or refuses when waiting is not allowed.</summary>
    /// <param name="waiter">When it returns <see langword="false"/>: the queued waiter, or <see langword="null"/> if the call is refused.</param>
    /// <returns><see langword="true"/> if a permit was taken.</returns>
    private bool TryAdmit(out BulkheadWaiter? waiter)
    {
        waiter = null;
        if (TryTakePermit(respectQueue: Policy.Fair) || Admit(out waiter) == Admission.Granted)
        {
            Publish(BulkheadEventType.CallPermitted);
            return true;
        }

        return false;
    }

    /// <summary>Blocks until the waiter is granted a permit, or throws when it times out or the call was refused.</summary>
    private void WaitBlocking(BulkheadWaiter? waiter)
    {
        if (waiter is null)
        {
            throw Reject();
        }

        waiter.Arm(Policy.MaxWait, _timeProvider, CancellationToken.None);
        bool granted;
        try
        {
            // Blocks: the synchronous API waits on its own thread, as Resilience4j's semaphore does.
            granted = waiter.Task.GetAwaiter().GetResult();
        }
        finally
        {
            waiter.Disarm();
        }

        if (!granted)
        {
            throw Reject();
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<BulkheadPermit> WaitAsync(BulkheadWaiter waiter, CancellationToken cancellationToken)
    {
        waiter.Arm(Policy.MaxWait, _timeProvider, cancellationToken);
        bool granted;
        try
        {
            granted = await waiter.Task.ConfigureAwait(false);
        }
        finally
        {
            waiter.Disarm();
        }

        if (!granted)
        {
            throw Reject();
        }

        Publish(BulkheadEventType.CallPermitted);
        return new BulkheadPermit(this);
    }

    /// <summary>Takes a waiter out of the queue when it times out or is cancelled; does nothing if it was already taken out.</summary>
    internal void RemoveWaiter(BulkheadWaiter waiter)
    {
        lock (_queueLock)
        {
            if (waiter.IsQueued)
            {
                UnlinkUnsynchronized(waiter);
            }
        }
    }

    /// <summary>Hands free permits to the oldest waiters until either runs out.</summary>
    private void DrainUnsynchronized()
    {
        Debug.Assert(_queueLock.IsHeldByCurrentThread, "the queue lock is held");
        while (_head is { } head && TryTakePermit(respectQueue: false))
        {
            UnlinkUnsynchronized(head);
            if (!head.TryGrant())
            {
                // It timed out or was cancelled at this very moment: the permit goes back, to the next waiter if any.
                bool returned = TryReturnPermit();
                Debug.Assert(returned, "a permit just taken can always be returned");
            }
        }

        // Not asserted: "no permit is free while calls wait". A lock-free release may free a permit right after the
        // loop ends; that releaser then sees the waiters and drains again once this lock is free.
    }

    private void EnqueueUnsynchronized(BulkheadWaiter waiter)
    {
        waiter.Previous = _tail;
        if (_tail is null)
        {
            _head = waiter;
        }
        else
        {
            _tail.Next = waiter;
        }

        _tail = waiter;
        waiter.IsQueued = true;
        Interlocked.Increment(ref _waiterCount);
    }

    private void UnlinkUnsynchronized(BulkheadWaiter waiter)
    {
        Debug.Assert(waiter.IsQueued, "only a queued waiter is unlinked");
        if (waiter.Previous is null)
        {
            _head = waiter.Next;
        }
        else
        {
            waiter.Previous.Next = waiter.Next;
        }

        if (waiter.Next is null)
        {
            _tail = waiter.Previous;
        }
        else
        {
            waiter.Next.Previous = waiter.Previous;
        }

        waiter.Next = null;
        waiter.Previous = null;
        waiter.IsQueued = false;
        int count = Interlocked.Decrement(ref _waiterCount);
        Debug.Assert(count >= 0, "the waiter count never goes negative");
    }
}
