namespace Resilience;

public sealed partial class ThreadPoolBulkhead
{
    /// <summary>
    /// Stops accepting tasks, cancels the tasks still queued, lets running tasks finish, and waits up to 5 seconds
    /// for the worker threads to exit. Later calls do nothing.
    /// </summary>
    /// <remarks>
    /// The wait is wall-clock time, not the injected <see cref="TimeProvider"/>'s. After it, tasks still running go on
    /// running on their background threads and still complete their tasks. Called on one of this bulkhead's own
    /// threads (from a task or an event handler), it does not wait.
    /// </remarks>
    public void Dispose()
    {
        if (Shutdown() && _currentOwner != this)
        {
            _ = _stopped.Task.Wait(ThreadPoolBulkheadConstants.DisposeTimeout);
        }
    }

    /// <summary>As <see cref="Dispose"/>, but waits for the worker threads asynchronously.</summary>
    /// <returns>A task that completes when every worker thread has exited, or after 5 seconds.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Shutdown() && _currentOwner != this)
        {
            try
            {
                await _stopped.Task.WaitAsync(ThreadPoolBulkheadConstants.DisposeTimeout, TimeProvider.System).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Documented: running tasks may outlive the wait.
            }
        }
    }

    /// <summary>Marks the bulkhead disposed, drains the queue and retires idle threads. Returns whether this call did it.</summary>
    private bool Shutdown()
    {
        ThreadPoolBulkheadWorkItem? drained;
        ThreadPoolBulkheadWorker[] retired;
        lock (_lock)
        {
            if (_disposed)
            {
                return false;
            }

            _disposed = true;
            drained = null;
            while (_head is not null)
            {
                // Re-link the drained items into a private chain, walked outside the lock.
                ThreadPoolBulkheadWorkItem item = DequeueUnsynchronized();
                _accepted--;
                item.Next = drained;
                drained = item;
            }

            retired = [.. _idle];
            foreach (ThreadPoolBulkheadWorker worker in retired)
            {
                worker.IsIdle = false;
            }

            _threads -= _idle.Count;
            _idle.Clear();
            AssertInvariantsUnsynchronized();
        }

        foreach (ThreadPoolBulkheadWorker worker in retired)
        {
            worker.Wake(); // With nothing assigned: the worker exits.
        }

        while (drained is not null)
        {
            ThreadPoolBulkheadWorkItem item = drained;
            drained = item.Next;
            item.Next = null;
            item.ReleaseCancellation();
            item.MarkCanceled();
            item.Complete();
        }

        // Pairs with ThreadExited: either the last thread sees _disposed, or this sees no live thread.
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _liveThreads) == 0)
        {
            _stopped.TrySetResult();
        }

        return true;
    }
}
