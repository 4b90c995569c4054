namespace Resilience;

/// <summary>
/// A semaphore bulkhead with the semantics of Resilience4j's <c>SemaphoreBulkhead</c>: it lets at most
/// <see cref="BulkheadOptions.MaxConcurrentCalls"/> calls run at once, and makes further calls wait up to
/// <see cref="BulkheadOptions.MaxWaitDuration"/> for a permit, in arrival order, before it refuses them with a
/// <see cref="BulkheadFullException"/>.
/// </summary>
/// <remarks>
/// <para>
/// <b>Concurrency.</b> Free permits are one counter, taken and given back by compare-and-swap with
/// <see cref="Interlocked"/>: a call that finds a permit free takes no lock and allocates nothing.
/// Calls that must wait sit in a FIFO queue guarded by a lock. The lock is only taken when no permit is free and
/// waiting is allowed, or when a permit is released while someone waits; it makes the hand-off from the counter to
/// the oldest waiter, and a waiter's removal on time-out or cancellation, one atomic step without a lock-free queue's
/// complexity, and it is never held while user code or event handlers run.
/// </para>
/// <para>
/// <b>Invariants.</b> The free count never exceeds the limit, and free plus held permits always equal the limit
/// (the free count is negative, a debt, while the limit is lowered below the calls in flight); both sit in one word
/// updated by compare-and-swap, and are checked with <c>Debug.Assert</c>. Once every release has finished its
/// hand-off, either no call waits or no permit is free. A waiter completes exactly once (granted, timed out or
/// cancelled, decided by compare-and-swap), so a waiter that timed out or was cancelled never holds a permit and none
/// is granted twice.
/// </para>
/// <para>
/// <b>Fairness.</b> With <see cref="BulkheadOptions.FairCallHandlingEnabled"/>, a new call does not take a free permit
/// while others wait, so permits go to waiters in arrival order. Without it, waiters are still served oldest first,
/// but a new call may take a permit in the moment between its release and its hand-off to the oldest waiter.
/// </para>
/// <para>
/// <b>Cancellation.</b> A call whose token is already cancelled is refused with an
/// <see cref="OperationCanceledException"/> before it takes a permit, and a waiting call whose token is cancelled
/// leaves the queue; neither counts as a rejection nor publishes an event.
/// </para>
/// </remarks>
public sealed partial class Bulkhead : IResilienceLayer
{
    private readonly TimeProvider _timeProvider;
    private WaitPolicy _policy;

    /// <summary>Initializes a new instance of the <see cref="Bulkhead"/> class.</summary>
    /// <param name="name">The name of the bulkhead, used in events, exceptions and telemetry.</param>
    /// <param name="options">The options, copied and validated now; <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The source of time for waits and events; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentException">The name is empty, or an option is invalid; the message names the option, the value and the valid range.</exception>
    public Bulkhead(string name, BulkheadOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        options ??= new BulkheadOptions();
        BulkheadOptionsValidator.Validate(options);
        Name = name;
        Events = new BulkheadEvents(name);
        _timeProvider = timeProvider ?? TimeProvider.System;
        _policy = new WaitPolicy(options.MaxWaitDuration, options.FairCallHandlingEnabled);
        _permits = Pack(options.MaxConcurrentCalls, options.MaxConcurrentCalls);
    }

    /// <summary>Gets the name of the bulkhead.</summary>
    public string Name { get; }

    /// <summary>Gets the events of this bulkhead.</summary>
    public BulkheadEvents Events { get; }

    /// <summary>Gets the <see cref="TimeProvider"/> the bulkhead measures waits with.</summary>
    public TimeProvider TimeProvider => _timeProvider;

    /// <summary>Reads the current permits.</summary>
    /// <returns>The snapshot.</returns>
    public BulkheadMetrics GetMetrics()
    {
        long permits = Volatile.Read(ref _permits);
        return new BulkheadMetrics
        {
            AvailableConcurrentCalls = Math.Max(0, AvailableOf(permits)),
            MaxAllowedConcurrentCalls = MaxOf(permits),
            WaitingCalls = Volatile.Read(ref _waiterCount),
        };
    }

    /// <summary>Asks for a permit without waiting, and publishes <see cref="BulkheadEventType.CallPermitted"/> or <see cref="BulkheadEventType.CallRejected"/>.</summary>
    /// <param name="permit">The permit when the call may go ahead; complete it exactly once (see <see cref="BulkheadPermit"/>). Otherwise <see langword="default"/>.</param>
    /// <returns><see langword="true"/> if the call may go ahead.</returns>
    /// <remarks>
    /// Unlike Resilience4j's <c>tryAcquirePermission</c>, this never waits, whatever <see cref="BulkheadOptions.MaxWaitDuration"/>
    /// says; use <see cref="AcquirePermission"/> or <see cref="AcquirePermissionAsync"/> to wait. When calls are
    /// handled fairly, it refuses while other calls wait, even if a permit is being handed to them.
    /// </remarks>
    public bool TryAcquirePermission(out BulkheadPermit permit)
    {
        if (TryTakePermit(respectQueue: Policy.Fair))
        {
            Publish(BulkheadEventType.CallPermitted);
            permit = new BulkheadPermit(this);
            return true;
        }

        Publish(BulkheadEventType.CallRejected);
        permit = default;
        return false;
    }

    /// <summary>Takes a permit, blocking the thread up to <see cref="BulkheadOptions.MaxWaitDuration"/> for one to be freed.</summary>
    /// <returns>The permit; complete it exactly once (see <see cref="BulkheadPermit"/>).</returns>
    /// <exception cref="BulkheadFullException">No permit was free within the maximum wait.</exception>
    public BulkheadPermit AcquirePermission()
    {
        if (!TryAdmit(out BulkheadWaiter? waiter))
        {
            WaitBlocking(waiter);
            Publish(BulkheadEventType.CallPermitted);
        }

        return new BulkheadPermit(this);
    }

    /// <summary>Takes a permit, waiting asynchronously up to <see cref="BulkheadOptions.MaxWaitDuration"/> for one to be freed.</summary>
    /// <param name="cancellationToken">Cancels the wait; a cancelled wait takes no permit and is not a rejection. If it is already cancelled, no permit is taken.</param>
    /// <returns>The permit, to complete exactly once (see <see cref="BulkheadPermit"/>); the task is faulted with <see cref="BulkheadFullException"/> if none was free within the maximum wait.</returns>
    /// <remarks>Allocates nothing when a permit is free.</remarks>
    public ValueTask<BulkheadPermit> AcquirePermissionAsync(CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<BulkheadPermit>(cancellationToken);
        }

        if (TryAdmit(out BulkheadWaiter? waiter))
        {
            return new ValueTask<BulkheadPermit>(new BulkheadPermit(this));
        }

        return waiter is null ? ValueTask.FromException<BulkheadPermit>(Reject()) : WaitAsync(waiter, cancellationToken);
    }

    /// <summary>Changes the number of calls the bulkhead lets run at once. It never blocks.</summary>
    /// <param name="maxConcurrentCalls">The new limit; 0 or more.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxConcurrentCalls"/> is negative.</exception>
    /// <remarks>
    /// <para>Raising the limit hands the new permits to waiting calls at once, oldest first.</para>
    /// <para>Lowering it does not wait, unlike Resilience4j's <c>changeConfig</c>, which blocks the caller until
    /// enough calls finish. Calls in flight keep running; the permits they hold above the new limit become a debt,
    /// and new calls are refused or queued until enough of them have finished. To change the maximum wait and fairness
    /// too, use <see cref="ChangeConfig"/>.</para>
    /// </remarks>
    public void ChangeMaxConcurrentCalls(int maxConcurrentCalls)
    {
        BulkheadOptionsValidator.ValidateMaxConcurrentCalls(maxConcurrentCalls, nameof(maxConcurrentCalls));
        ChangeLimit(maxConcurrentCalls);
    }

    /// <summary>Changes the whole configuration at run time, as Resilience4j's <c>changeConfig</c> does: the limit, the maximum wait and fairness.</summary>
    /// <param name="options">The new options, copied and validated now.</param>
    /// <exception cref="ArgumentException">An option is invalid; the message names the option, the value and the valid range. Nothing changes.</exception>
    /// <remarks>
    /// <para>The limit changes as with <see cref="ChangeMaxConcurrentCalls"/>: never blocking, a lowered limit paid back
    /// as calls finish. The maximum wait and fairness apply to calls that ask for a permit afterwards; a call already
    /// waiting keeps the deadline it was given.</para>
    /// </remarks>
    public void ChangeConfig(BulkheadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        BulkheadOptionsValidator.Validate(options);
        Volatile.Write(ref _policy, new WaitPolicy(options.MaxWaitDuration, options.FairCallHandlingEnabled));
        ChangeLimit(options.MaxConcurrentCalls);
    }

    /// <summary>Gets the wait settings in force, swapped as one immutable object by <see cref="ChangeConfig"/>.</summary>
    private WaitPolicy Policy => Volatile.Read(ref _policy);

#if DEBUG
    /// <summary>Gets the permits granted and not yet completed (Debug builds only).</summary>
    internal Internal.OutstandingPermits OutstandingPermits { get; } = new();
#endif

    /// <summary>Gives back the permit of a call that ran, and publishes <see cref="BulkheadEventType.CallFinished"/>; a release while every permit is already free is ignored.</summary>
    internal void CompleteCall()
    {
        if (ReturnPermitAndHandOff())
        {
            Publish(BulkheadEventType.CallFinished);
        }
    }

    /// <summary>Gives back a permit whose call never ran, without an event; a release while every permit is already free is ignored.</summary>
    internal void ReleasePermit() => ReturnPermitAndHandOff();

    private BulkheadFullException Reject()
    {
        Publish(BulkheadEventType.CallRejected);
        return new BulkheadFullException(Name);
    }

    private void Publish(BulkheadEventType type)
    {
        if (Events.IsSubscribed(type))
        {
            Events.Publish(new BulkheadEvent { EventType = type, BulkheadName = Name, CreationTime = _timeProvider.GetUtcNow() });
        }
    }

    /// <summary>The maximum wait and fairness of the bulkhead.</summary>
    private sealed class WaitPolicy(TimeSpan maxWait, bool fair)
    {
        public TimeSpan MaxWait { get; } = maxWait;

        public bool Fair { get; } = fair;

        public bool CanWait { get; } = maxWait > TimeSpan.Zero;
    }
}
