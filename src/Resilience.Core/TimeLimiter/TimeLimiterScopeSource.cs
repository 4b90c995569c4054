using System.Diagnostics;

namespace Resilience;

/// <summary>The cancellation source and the timer of one call, pooled per <see cref="TimeLimiter"/>; a <see cref="TimeLimiterScope"/> is a handle to it.</summary>
/// <remarks>
/// <para>The operation's token comes from <c>_source</c>. It is cancelled when the caller's token is cancelled (a
/// registration on the caller's token), and on timeout when <see cref="TimeLimiterOptions.CancelRunningTask"/> is
/// set. The timer is armed before the operation is invoked.</para>
/// <para><b>Timer.</b> With <see cref="TimeProvider.System"/> the timer is the one inside a private cancellation source,
/// <c>_timerSource</c> (<see cref="CancellationTokenSource.CancelAfter(TimeSpan)"/>), because only
/// <see cref="CancellationTokenSource.TryReset"/> can tell for certain that such a timer never fired. It is not
/// <c>_source</c> itself: once a source has had a timer, every <see cref="CancellationTokenSource.TryReset"/> takes the
/// runtime's timer-queue lock to disarm it, and the operation's source is reset after every call, while the timer's is
/// reset only after a call that armed it, so a call that completes synchronously never touches a timer. When the
/// timer's source is cancelled, a registration made when it was armed releases the race and then, with
/// <see cref="TimeLimiterOptions.CancelRunningTask"/>, cancels <c>_source</c>. With another
/// provider the scope owns one <see cref="ITimer"/>, created once and re-armed with <see cref="ITimer.Change"/>; its
/// state moves Idle → Armed (start) → Idle (release) or Armed → Fired (callback), by compare-and-swap, so exactly one
/// of them wins.</para>
/// <para><b>Invariants.</b> A scope is returned to the pool only if (1) neither source was cancelled, (2) the
/// registrations on the caller's and on the timer's token were removed before their callbacks started, and (3) no
/// timer callback can still be on its way: <see cref="CancellationTokenSource.TryReset"/> checks that the system
/// timer never fired; for another provider, the timer was disarmed while the provider's clock had not reached the
/// deadline (a timer cannot fire before its due time on its own clock). Otherwise the scope is dropped, so a late
/// callback can only touch a scope that no call uses any more. A pooled scope is used by one call at a time.</para>
/// <para><b>Handles.</b> <see cref="Version"/> changes when a call starts, when its handle hands the scope to a race,
/// and when the scope is released, so a <see cref="TimeLimiterScope"/> whose call has moved on (completed, raced, or
/// a later call of the same pooled scope) no longer matches and is refused.</para>
/// <para><b>Sharing.</b> A scope whose only timer is the one inside <c>_timerSource</c> (<see cref="IsShareable"/>) holds
/// nothing of the limiter that created it, so every limiter that <see cref="TimeLimiter.SharesScopes"/> may run a call
/// on it; the owner is set when a call starts. A thread keeps one such scope idle, without an owner, and takes it
/// without an interlocked operation; the pools are the fallback.</para>
/// </remarks>
internal sealed partial class TimeLimiterScopeSource : IDisposable
{
    private const int Idle = 0;
    private const int Armed = 1;
    private const int Fired = 2;

    private TimeLimiter _owner;
    private readonly CancellationTokenSource _source = new();
    private readonly CancellationTokenSource? _timerSource;
    private readonly ITimer? _timer;
    private readonly bool _cancelsRunningTask;
    private CancellationToken _caller;
    private CancellationTokenRegistration _callerRegistration;
    private CancellationTokenRegistration _timerRegistration;
    private bool _hasTimerRegistration;
    private TimeLimiterRace? _race;
    private int _raceGeneration;
    private long _deadline;
    private int _timerState;
    private int _callerCanceled;
    private bool _armed;
    private int _version;

    public TimeLimiterScopeSource(TimeLimiter owner)
    {
        _owner = owner;
        IsShareable = owner.SharesScopes;
        _cancelsRunningTask = owner.CancelRunningTask;
        if (!owner.HasTimeout)
        {
            return;
        }

        if (owner.UsesSystemTimer)
        {
            _timerSource = new CancellationTokenSource();
            return;
        }

        // The timer must not capture the execution context of the call that happened to create the scope.
        bool suppress = !ExecutionContext.IsFlowSuppressed();
        if (suppress)
        {
            ExecutionContext.SuppressFlow();
        }

        try
        {
            _timer = owner.TimeProvider.CreateTimer(static s => ((TimeLimiterScopeSource)s!).OnTimerFired(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
        finally
        {
            if (suppress)
            {
                ExecutionContext.RestoreFlow();
            }
        }
    }

    /// <summary>Gets the owner of the current call.</summary>
    public TimeLimiter Owner => _owner;

    /// <summary>
    /// Gets whether any limiter that <see cref="TimeLimiter.SharesScopes"/> may run its calls on this scope: its only
    /// timer is the one inside <c>_timerSource</c>, so nothing in it depends on the limiter that created it.
    /// </summary>
    public bool IsShareable { get; }

    /// <summary>Gets the caller's token of the current call.</summary>
    public CancellationToken Caller => _caller;

    /// <summary>Gets the version that a handle of the current phase of the call carries.</summary>
    public int Version => Volatile.Read(ref _version);

    /// <summary>Gets whether the timeout of the current call was started.</summary>
    public bool IsArmed => _armed;

    /// <summary>Gets the token passed to the operation.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>Gets whether the timeout expired during this call (and not because the caller cancelled).</summary>
    public bool IsTimedOut => _timer is not null
        ? Volatile.Read(ref _timerState) == Fired
        : _timerSource is not null && _timerSource.IsCancellationRequested;

    /// <summary>Links the caller's token; called before the operation is invoked. The timer is armed later, by <see cref="Arm"/>.</summary>
    /// <param name="owner">The limiter of the call: the creator, or for a shareable scope any limiter that shares scopes.</param>
    /// <param name="caller">The caller's token.</param>
    /// <returns>The version of the call's handle.</returns>
    public int Start(TimeLimiter owner, CancellationToken caller)
    {
        Debug.Assert(!_source.IsCancellationRequested, "A pooled source is never cancelled.");
        Debug.Assert(_timerSource is null || !_timerSource.IsCancellationRequested, "A pooled timer source is never cancelled, and its timer is disarmed.");
        Debug.Assert(ReferenceEquals(owner, _owner) || (IsShareable && owner.SharesScopes), "Only a shareable scope moves between limiters.");
        Debug.Assert(!_caller.CanBeCanceled, "A released scope holds no caller token.");
        _owner = owner;
        _race = null;
        _callerCanceled = 0;
        _armed = false;
        if (caller.CanBeCanceled)
        {
            _caller = caller;
            _callerRegistration = caller.UnsafeRegister(static s => ((TimeLimiterScopeSource)s!).OnCallerCanceled(), this);
        }

        Retire();
        return _version;
    }

    /// <summary>Forgets the owner of the call that ended, so that a thread's idle scope keeps no limiter alive.</summary>
    /// <remarks>Safe because a shareable scope's late callbacks (it is idle only if none can come) never read the owner.</remarks>
    public void Detach()
    {
        Debug.Assert(IsShareable, "Only a shareable scope is kept without an owner.");
        _owner = null!;
    }

    /// <summary>Retires the handles of the current phase: the scope is handed to a race or released.</summary>
    /// <remarks>Only the one owner of the scope at a time (its call's handle, then its race) moves the version, so a plain increment published by a volatile write is enough.</remarks>
    public void Retire() => Volatile.Write(ref _version, _version + 1);

    /// <summary>
    /// Arms the timeout; called when the operation has returned a task that is not complete. As in Resilience4j, the
    /// timeout runs from that moment: a call that completes synchronously never touches a timer.
    /// </summary>
    public void Arm()
    {
        Debug.Assert(!_armed, "A scope is armed at most once per call.");
        _armed = true;
        if (_timer is not null)
        {
            _deadline = _owner.TimeProvider.GetTimestamp() + _owner.TimeoutTimestampUnits;
            Volatile.Write(ref _timerState, Armed);
            _timer.Change(_owner.TimeoutDuration, Timeout.InfiniteTimeSpan);
        }
        else if (_timerSource is not null)
        {
            // Registered before the timer starts, so that the timeout reaches the operation's token even when no race
            // is attached (an operation that blocks the caller's thread).
            _timerRegistration = _timerSource.Token.UnsafeRegister(static s => ((TimeLimiterScopeSource)s!).OnTimerSourceCanceled(), this);
            _hasTimerRegistration = true;
            _timerSource.CancelAfter(_owner.TimeoutDuration);
        }
    }

    /// <summary>Ends the call once the operation has completed: unlinks, disarms, and pools or drops the scope.</summary>
    public void Release()
    {
        Retire();
        bool reusable = true;
        if (_caller.CanBeCanceled)
        {
            // False when the callback ran or is running: the source is (being) cancelled, so it is not reusable.
            reusable = _callerRegistration.Unregister();
            _callerRegistration = default;
            _caller = default;
        }

        if (_hasTimerRegistration)
        {
            reusable &= _timerRegistration.Unregister();
            _timerRegistration = default;
            _hasTimerRegistration = false;
        }

        if (_timer is not null && _armed)
        {
            if (Interlocked.CompareExchange(ref _timerState, Idle, Armed) == Armed)
            {
                _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

                // Disarmed before the deadline on the provider's clock: the timer cannot have fired.
                reusable &= _owner.TimeProvider.GetTimestamp() < _deadline;
            }
            else
            {
                reusable = false;
            }
        }
        else if (_timerSource is not null && _armed)
        {
            // Only a call that armed the timer resets its source: that takes the timer-queue lock.
            reusable = reusable && _timerSource.TryReset();
        }

        reusable = reusable && _source.TryReset();
        if (!reusable || !_owner.TryReturnScope(this))
        {
            Dispose();
        }
    }

    /// <summary>Drops the scope: disposes its sources and timer.</summary>
    public void Dispose()
    {
        // Late callbacks may still run on a dropped scope; they find it disposed and do nothing harmful.
        _timer?.Dispose();
        _timerSource?.Dispose();
        _source.Dispose();
    }
}
