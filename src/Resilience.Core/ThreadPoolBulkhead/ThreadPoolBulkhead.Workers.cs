using System.Globalization;

namespace Resilience;

public sealed partial class ThreadPoolBulkhead
{
    private static readonly ParameterizedThreadStart WorkerStart =
        static s => ((ThreadPoolBulkheadWorker)s!).Owner.RunWorker((ThreadPoolBulkheadWorker)s);

    private static readonly ContextCallback RunInContext = static s =>
    {
        var item = (ThreadPoolBulkheadWorkItem)s!;
        item.Owner.Publish(ThreadPoolBulkheadEventType.CallPermitted);
        item.Invoke();
        item.Owner.Publish(ThreadPoolBulkheadEventType.CallFinished);
    };

    private static readonly TimerCallback KeepAliveExpired =
        static s => ((ThreadPoolBulkheadWorker)s!).Owner.OnKeepAliveExpired((ThreadPoolBulkheadWorker)s);

    private ThreadPoolBulkheadWorker AddWorkerUnsynchronized(ThreadPoolBulkheadWorkItem item)
    {
        _threads++;
        _active++;
        _accepted++;
        Interlocked.Increment(ref _liveThreads);
        return new ThreadPoolBulkheadWorker(this, item, ++_threadNumber);
    }

    private ThreadPoolBulkheadWorker HandOffUnsynchronized(ThreadPoolBulkheadWorkItem item)
    {
        // LIFO, as Java's non-fair SynchronousQueue: the most recently idle thread is warm, the others may time out.
        ThreadPoolBulkheadWorker worker = _idle[^1];
        _idle.RemoveAt(_idle.Count - 1);
        worker.IsIdle = false;
        worker.Assigned = item;
        worker.KeepAliveTimer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _active++;
        _accepted++;
        return worker;
    }

    private void StartThread(ThreadPoolBulkheadWorker worker)
    {
        try
        {
            var thread = new Thread(WorkerStart)
            {
                IsBackground = true,
                Name = string.Create(CultureInfo.InvariantCulture, $"bulkhead-{Name}-{worker.Number}"),
            };

            // UnsafeStart: the worker must not inherit the execution context of whichever submitter started it.
            thread.UnsafeStart(worker);
        }
        catch
        {
            lock (_lock)
            {
                _threads--;
                _active--;
                _accepted--;
                AssertInvariantsUnsynchronized();
            }

            ThreadExited();
            throw;
        }
    }

    private void RunWorker(ThreadPoolBulkheadWorker worker)
    {
        _currentOwner = this;
        ExecutionContext baseline = ExecutionContext.Capture()!; // The default context: the thread started without one.
        try
        {
            ThreadPoolBulkheadWorkItem? item = worker.TakeAssigned();
            while (item is not null)
            {
                item.ReleaseCancellation();
                if (item.CancellationToken.IsCancellationRequested)
                {
                    item.MarkCanceled(); // Cancelled between acceptance and start: it does not run and publishes nothing.
                }
                else
                {
                    ExecutionContext.Run(item.Context ?? baseline, RunInContext, item);
                }

                ThreadPoolBulkheadWorkItem? next;
                bool idle;
                lock (_lock)
                {
                    _active--;
                    _accepted--;
                    next = TakeNextUnsynchronized(worker, out idle);
                    AssertInvariantsUnsynchronized();
                }

                // The capacity is back (this thread is idle or holds the next task) before the task completes.
                item.Complete();
                if (next is null && idle)
                {
                    worker.WaitForWake();
                    next = worker.TakeAssigned();
                }

                item = next;
            }
        }
        finally
        {
            worker.KeepAliveTimer?.Dispose();
            ThreadExited();
        }
    }

    /// <summary>
    /// After a task: takes the next queued task, or registers the worker as idle (<paramref name="idle"/>), or
    /// retires it (neither) when the bulkhead is disposed or a thread above the core size has no keep-alive.
    /// </summary>
    private ThreadPoolBulkheadWorkItem? TakeNextUnsynchronized(ThreadPoolBulkheadWorker worker, out bool idle)
    {
        idle = false;
        if (!_disposed)
        {
            if (_head is not null)
            {
                _active++;
                return DequeueUnsynchronized();
            }

            bool aboveCore = _threads > _coreThreads;
            if (!aboveCore || _keepAlive > TimeSpan.Zero)
            {
                worker.IsIdle = true;
                _idle.Add(worker);
                if (aboveCore)
                {
                    // A core thread waits untimed; whether a thread is "above core" is decided when it becomes idle, as in Java.
                    worker.KeepAliveTimer ??= _timeProvider.CreateTimer(KeepAliveExpired, worker, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                    worker.KeepAliveTimer.Change(_keepAlive, Timeout.InfiniteTimeSpan);
                }

                idle = true;
                return null;
            }
        }

        _threads--;
        return null;
    }

    private void OnKeepAliveExpired(ThreadPoolBulkheadWorker worker)
    {
        lock (_lock)
        {
            // A timer that fires as the worker is handed a task finds it busy and does nothing. One that fired just
            // before a hand-off, and runs after the worker went idle again, ends that idle period early: harmless.
            if (!worker.IsIdle || _threads <= _coreThreads)
            {
                return;
            }

            _idle.Remove(worker);
            worker.IsIdle = false;
            _threads--;
            AssertInvariantsUnsynchronized();
        }

        worker.Wake(); // With nothing assigned: the worker exits.
    }

    private void ThreadExited()
    {
        if (Interlocked.Decrement(ref _liveThreads) == 0 && _disposed)
        {
            _stopped.TrySetResult();
        }
    }
}
