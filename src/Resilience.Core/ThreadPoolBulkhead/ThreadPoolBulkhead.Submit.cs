namespace Resilience;

public sealed partial class ThreadPoolBulkhead
{
    /// <summary>Submits a function to run on one of the bulkhead's threads.</summary>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="func">The function.</param>
    /// <returns>A task that completes with the function's result or exception after the bulkhead has given the capacity back.</returns>
    /// <exception cref="BulkheadFullException">Every thread and queue slot is taken; thrown synchronously.</exception>
    /// <exception cref="ObjectDisposedException">The bulkhead is disposed.</exception>
    public Task<TResult> Submit<TResult>(Func<TResult> func)
    {
        ArgumentNullException.ThrowIfNull(func);
        return Submit(static (f, _) => f(), func, CancellationToken.None);
    }

    /// <summary>Submits an action to run on one of the bulkhead's threads.</summary>
    /// <param name="action">The action.</param>
    /// <returns>A task that completes when the action has run, with its exception if it threw.</returns>
    /// <exception cref="BulkheadFullException">Every thread and queue slot is taken; thrown synchronously.</exception>
    /// <exception cref="ObjectDisposedException">The bulkhead is disposed.</exception>
    public Task Submit(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return Submit(static (a, _) => a(), action, CancellationToken.None);
    }

    /// <summary>Submits a function that takes a state argument and a cancellation token, to run on one of the bulkhead's threads.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="func">The function; a static lambda avoids allocating a closure.</param>
    /// <param name="state">The state passed to <paramref name="func"/>.</param>
    /// <param name="cancellationToken">
    /// Cancels the task while it waits (it then completes as cancelled without running and frees its queue slot) and
    /// is passed to <paramref name="func"/>. Already cancelled: a cancelled task is returned and nothing is consumed.
    /// </param>
    /// <returns>A task that completes with the function's result or exception after the bulkhead has given the capacity back.</returns>
    /// <exception cref="BulkheadFullException">Every thread and queue slot is taken; thrown synchronously.</exception>
    /// <exception cref="ObjectDisposedException">The bulkhead is disposed.</exception>
    public Task<TResult> Submit<TState, TResult>(Func<TState, CancellationToken, TResult> func, TState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<TResult>(cancellationToken);
        }

        var item = new ThreadPoolBulkheadWorkItem<TState, TResult>(
            this, func, state, _flowExecutionContext ? ExecutionContext.Capture() : null, cancellationToken);
        SubmitCore(item);
        return item.Task;
    }

    /// <summary>Submits an action that takes a state argument and a cancellation token, to run on one of the bulkhead's threads.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <param name="action">The action; a static lambda avoids allocating a closure.</param>
    /// <param name="state">The state passed to <paramref name="action"/>.</param>
    /// <param name="cancellationToken">As for <see cref="Submit{TState, TResult}(Func{TState, CancellationToken, TResult}, TState, CancellationToken)"/>.</param>
    /// <returns>A task that completes when the action has run, with its exception if it threw.</returns>
    /// <exception cref="BulkheadFullException">Every thread and queue slot is taken; thrown synchronously.</exception>
    /// <exception cref="ObjectDisposedException">The bulkhead is disposed.</exception>
    public Task Submit<TState>(Action<TState, CancellationToken> action, TState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(action);
        return Submit(
            static (s, ct) =>
            {
                s.Action(s.State, ct);
                return (object?)null;
            },
            (Action: action, State: state),
            cancellationToken);
    }

    private void SubmitCore(ThreadPoolBulkheadWorkItem item)
    {
        ThreadPoolBulkheadWorker? started = null;
        ThreadPoolBulkheadWorker? handedTo = null;
        bool queued = false;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_threads < _coreThreads)
            {
                started = AddWorkerUnsynchronized(item);
            }
            else if (_idle.Count > 0)
            {
                // Equivalent to Java's queue offer taken at once by a waiting thread; the queue is empty here.
                handedTo = HandOffUnsynchronized(item);
            }
            else if (_queued < _queueCapacity)
            {
                EnqueueUnsynchronized(item);
                queued = true;
            }
            else if (_threads < _maxThreads)
            {
                started = AddWorkerUnsynchronized(item);
            }

            AssertInvariantsUnsynchronized();
        }

        if (started is not null)
        {
            StartThread(started);
        }
        else if (handedTo is not null)
        {
            handedTo.Wake();
        }
        else if (queued)
        {
            item.WatchCancellation();
        }
        else
        {
            Publish(ThreadPoolBulkheadEventType.CallRejected);
            throw new BulkheadFullException(Name);
        }
    }

    /// <summary>Called by a cancelled token's registration: removes the task from the queue if it is still there, and cancels it.</summary>
    internal void CancelQueued(ThreadPoolBulkheadWorkItem item)
    {
        lock (_lock)
        {
            if (!item.IsQueued)
            {
                return; // Already taken by a worker (which checks the token first) or drained by Dispose.
            }

            RemoveUnsynchronized(item);
            _accepted--;
            AssertInvariantsUnsynchronized();
        }

        item.MarkCanceled();
        item.Complete();
    }

    private void EnqueueUnsynchronized(ThreadPoolBulkheadWorkItem item)
    {
        item.IsQueued = true;
        item.Previous = _tail;
        if (_tail is null)
        {
            _head = item;
        }
        else
        {
            _tail.Next = item;
        }

        _tail = item;
        _queued++;
        _accepted++;
    }

    private ThreadPoolBulkheadWorkItem DequeueUnsynchronized()
    {
        ThreadPoolBulkheadWorkItem item = _head!;
        RemoveUnsynchronized(item);
        return item;
    }

    /// <summary>Unlinks a queued item; the caller adjusts <c>_accepted</c> or <c>_active</c>.</summary>
    private void RemoveUnsynchronized(ThreadPoolBulkheadWorkItem item)
    {
        if (item.Previous is null)
        {
            _head = item.Next;
        }
        else
        {
            item.Previous.Next = item.Next;
        }

        if (item.Next is null)
        {
            _tail = item.Previous;
        }
        else
        {
            item.Next.Previous = item.Previous;
        }

        item.Next = null;
        item.Previous = null;
        item.IsQueued = false;
        _queued--;
    }
}
