namespace Resilience;

/// <summary>
/// A call waiting in a <see cref="Bulkhead"/>'s queue: a node of the intrusive FIFO list and the task the caller
/// waits on, which completes with <see langword="true"/> (granted), <see langword="false"/> (timed out) or as
/// cancelled.
/// </summary>
/// <remarks>
/// Exactly one of grant, time-out and cancellation wins, by compare-and-swap on <see cref="_state"/> from
/// <see cref="Waiting"/>: a permit is only handed to a waiter whose grant won, so a waiter that timed out or was
/// cancelled never holds a permit, and a waiter is never granted twice. The task is created with
/// <see cref="TaskCreationOptions.RunContinuationsAsynchronously"/> so that completing it under the queue lock never
/// runs the caller's code there.
/// </remarks>
internal sealed class BulkheadWaiter : TaskCompletionSource<bool>
{
    private const int Waiting = 0;
    private const int Granted = 1;
    private const int TimedOut = 2;
    private const int Cancelled = 3;

    private readonly Bulkhead _owner;
    private int _state;
    private ITimer? _timer;
    private CancellationTokenRegistration _registration;
    private CancellationToken _cancellationToken;

    public BulkheadWaiter(Bulkhead owner)
        : base(TaskCreationOptions.RunContinuationsAsynchronously) => _owner = owner;

    /// <summary>Gets or sets the next (younger) waiter in the queue; guarded by the queue lock.</summary>
    public BulkheadWaiter? Next { get; set; }

    /// <summary>Gets or sets the previous (older) waiter in the queue; guarded by the queue lock.</summary>
    public BulkheadWaiter? Previous { get; set; }

    /// <summary>Gets or sets whether the waiter is linked in the queue; guarded by the queue lock.</summary>
    public bool IsQueued { get; set; }

    /// <summary>Starts the time-out and watches the token, unless the waiter was already granted while it was queued.</summary>
    public void Arm(TimeSpan maxWait, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _state) != Waiting)
        {
            return;
        }

        _cancellationToken = cancellationToken;
        _timer = timeProvider.CreateTimer(static s => ((BulkheadWaiter)s!).TryTimeOut(), this, maxWait, Timeout.InfiniteTimeSpan);
        if (cancellationToken.CanBeCanceled)
        {
            // Runs the callback at once if the token is already cancelled; that path takes the queue lock itself.
            _registration = cancellationToken.UnsafeRegister(static s => ((BulkheadWaiter)s!).TryCancel(), this);
        }
    }

    /// <summary>Stops the timer and the token registration once the task has completed.</summary>
    public void Disarm()
    {
        _timer?.Dispose();
        _registration.Unregister();
    }

    /// <summary>Hands a permit to the waiter. Called under the queue lock after the waiter was unlinked.</summary>
    /// <returns><see langword="false"/> if the waiter had already timed out or been cancelled: the caller keeps the permit.</returns>
    public bool TryGrant()
    {
        if (Interlocked.CompareExchange(ref _state, Granted, Waiting) != Waiting)
        {
            return false;
        }

        TrySetResult(true);
        return true;
    }

    private void TryTimeOut()
    {
        if (Interlocked.CompareExchange(ref _state, TimedOut, Waiting) == Waiting)
        {
            _owner.RemoveWaiter(this);
            TrySetResult(false);
        }
    }

    private void TryCancel()
    {
        if (Interlocked.CompareExchange(ref _state, Cancelled, Waiting) == Waiting)
        {
            _owner.RemoveWaiter(this);
            TrySetCanceled(_cancellationToken);
        }
    }
}
