namespace Resilience;

/// <summary>
/// A time limiter with the semantics of Resilience4j's: an asynchronous call that does not complete within
/// <see cref="TimeoutDuration"/> ends with a <see cref="TimeLimiterTimeoutException"/>, and its operation's
/// cancellation token is cancelled.
/// </summary>
/// <remarks>
/// <para>
/// <b>One call contract.</b> Every call, through <see cref="ExecuteAsync{TState, TResult}"/> or any other front-end
/// (the HTTP handler, a composition), is a <see cref="TimeLimiterScope"/> from <see cref="BeginScope"/>; the
/// convenience overloads are the extension methods of <see cref="ResilienceLayerExtensions"/>.
/// </para>
/// <para>
/// <b>Asynchronous only.</b> There is no synchronous <c>Execute</c>: a blocking call cannot be abandoned safely, and
/// Resilience4j's time limiter also needs a future. The operation receives a token of the limiter's own; it is
/// cancelled on timeout (when <see cref="CancelRunningTask"/> is set) and whenever the caller's token is cancelled.
/// </para>
/// <para>
/// <b>The caller is released on time.</b> The call races the operation against the timer: when the timeout expires
/// first the caller gets the timeout at once, even if the operation ignores its token. The abandoned operation is
/// still awaited in the background and its exception, if any, is observed (never an unobserved task exception).
/// A result the operation produced before the timeout is noticed wins.
/// </para>
/// <para>
/// <b>When the timeout starts.</b> As in Resilience4j, which schedules the timeout after the supplier has returned its
/// future, the timeout runs from the moment the operation hands back a task that is not complete. The synchronous part
/// of the operation, before its first real <c>await</c>, is not timed: the caller's thread is inside it and cannot be
/// released anyway, so an operation that completes synchronously always succeeds and never touches a timer.
/// </para>
/// <para>
/// <b>Cancellation.</b> A cancellation of the caller's token is not a timeout: the caller gets an
/// <see cref="OperationCanceledException"/> carrying its own token, at once, and no event is published. An
/// <see cref="OperationCanceledException"/> the operation throws after the timeout fired is turned into a
/// <see cref="TimeLimiterTimeoutException"/> (with it as the inner exception). A caller token that is already
/// cancelled ends the call before the operation is invoked.
/// </para>
/// <para>
/// <b>Cost.</b> The cancellation sources and their timers are pooled (reset with
/// <see cref="CancellationTokenSource.TryReset"/>; a source that was cancelled is never reused), so a call that
/// completes synchronously allocates nothing, and one that completes asynchronously allocates only what its awaiting
/// costs, once the pools are warm. All time comes from the injected <see cref="TimeProvider"/>.
/// </para>
/// </remarks>
public sealed partial class TimeLimiter : IAsyncResilienceLayer
{
    /// <summary>
    /// The pool of shareable scopes, used by every limiter that <see cref="SharesScopes"/> once its thread's idle slots
    /// are taken. One pool rather than one per limiter: a scope released by another limiter than the one whose pool it
    /// came from would otherwise drift from pool to pool, leaving some limiters allocating a scope per call.
    /// </summary>
    private static readonly TimeLimiterPool<TimeLimiterScopeSource> SharedScopes = new(TimeLimiterConstants.SharedPoolSize);

    /// <summary>
    /// The thread's idle shareable scopes, taken without an interlocked operation: two, so that two limiters nested on
    /// one thread (an HTTP client's attempt and total limits) both find one. Only the thread itself reads or writes
    /// them, and a scope is in at most one place (a slot, a pool, or one call), because it is put in a slot only when
    /// its call has released it and taken out before a call starts on it.
    /// </summary>
    [ThreadStatic]
    private static TimeLimiterScopeSource? t_idleScope;

    [ThreadStatic]
    private static TimeLimiterScopeSource? t_idleScope2;

    private readonly TimeLimiterPool<TimeLimiterScopeSource> _scopes = new();
    private long _abandonedFaults;

    /// <summary>Initializes a new instance of the <see cref="TimeLimiter"/> class.</summary>
    /// <param name="name">The name of the time limiter, used in events and exceptions.</param>
    /// <param name="options">The options, copied and validated now; <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The source of time; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentException">The name is empty, or an option is invalid; the message names the option, the value and the valid range.</exception>
    public TimeLimiter(string name, TimeLimiterOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        options ??= new TimeLimiterOptions();
        TimeLimiterOptionsValidator.Validate(options);
        Name = name;
        Events = new TimeLimiterEvents(name);
        TimeoutDuration = options.TimeoutDuration;
        CancelRunningTask = options.CancelRunningTask;
        TimeProvider = timeProvider ?? TimeProvider.System;
        HasTimeout = TimeoutDuration != Timeout.InfiniteTimeSpan;
        UsesSystemTimer = ReferenceEquals(TimeProvider, TimeProvider.System);
        SharesScopes = HasTimeout && UsesSystemTimer && CancelRunningTask;

        // Rounded down, so that the deadline is never later than the provider's timer.
        TimeoutTimestampUnits = HasTimeout ? (long)(TimeoutDuration.TotalSeconds * TimeProvider.TimestampFrequency) : long.MaxValue;
    }

    /// <summary>Gets the name of the time limiter.</summary>
    public string Name { get; }

    /// <summary>Gets how long a call may run; <see cref="Timeout.InfiniteTimeSpan"/> when the timeout is disabled.</summary>
    public TimeSpan TimeoutDuration { get; }

    /// <summary>Gets whether the operation's token is cancelled when a call times out.</summary>
    public bool CancelRunningTask { get; }

    /// <summary>Gets the events of this time limiter.</summary>
    public TimeLimiterEvents Events { get; }

    internal TimeProvider TimeProvider { get; }

    internal bool HasTimeout { get; }

    internal bool UsesSystemTimer { get; }

    /// <summary>
    /// Gets whether this limiter's scopes are interchangeable with those of every other limiter that shares scopes
    /// (a timeout, the system timer, and running operations cancelled: the defaults), so that a thread keeps one idle
    /// scope for all of them.
    /// </summary>
    internal bool SharesScopes { get; }

    internal long TimeoutTimestampUnits { get; }

    /// <summary>Gets how many operations failed after their call had already ended (timed out or cancelled); each such exception was observed.</summary>
    internal long AbandonedFaultsObserved => Interlocked.Read(ref _abandonedFaults);

    /// <summary>Takes back the scope of a call that ended: a shareable one into a free idle slot of the thread, else into the shared pool; any other into this limiter's pool.</summary>
    internal bool TryReturnScope(TimeLimiterScopeSource scope)
    {
        if (!scope.IsShareable)
        {
            return _scopes.TryReturn(scope);
        }

        scope.Detach();
        if (t_idleScope is null)
        {
            t_idleScope = scope;
            return true;
        }

        if (t_idleScope2 is null)
        {
            t_idleScope2 = scope;
            return true;
        }

        return SharedScopes.TryReturn(scope);
    }

    internal void OnSucceeded() => Publish(TimeLimiterEventType.Success, exception: null);

    /// <summary>Publishes the timeout and creates the exception for the caller.</summary>
    internal TimeLimiterTimeoutException OnTimedOut(Exception? inner)
    {
        Publish(TimeLimiterEventType.Timeout, exception: null);
        return new TimeLimiterTimeoutException(Name, TimeoutDuration, inner);
    }

    /// <summary>Classifies the exception of an operation that ended the call, publishes, and returns what the caller gets.</summary>
    internal Exception OnFailed(Exception error, bool timedOut, CancellationToken caller)
    {
        if (error is OperationCanceledException canceled)
        {
            if (caller.IsCancellationRequested)
            {
                return canceled.CancellationToken == caller ? canceled : new OperationCanceledException(canceled.Message, canceled, caller);
            }

            if (timedOut)
            {
                return OnTimedOut(canceled);
            }
        }

        Publish(TimeLimiterEventType.Error, error);
        return error;
    }

    /// <summary>Counts an exception of an abandoned operation; the race has already read it from the task.</summary>
    internal void OnAbandonedFault() => Interlocked.Increment(ref _abandonedFaults);

    /// <summary>Begins a call: a scope whose <see cref="TimeLimiterScope.Token"/> is cancelled on timeout and with <paramref name="cancellationToken"/>.</summary>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The scope of the call; complete it exactly once.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> is already cancelled; no scope was taken.</exception>
    /// <remarks>The timeout does not start yet: see <see cref="TimeLimiterScope"/>.</remarks>
    public TimeLimiterScope BeginScope(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TimeLimiterScopeSource source = SharesScopes
            ? TakeIdleScope() ?? SharedScopes.TryRent() ?? new TimeLimiterScopeSource(this)
            : _scopes.TryRent() ?? new TimeLimiterScopeSource(this);

        int version = source.Start(this, cancellationToken);
        return new TimeLimiterScope(source, version);
    }

    /// <summary>Takes one of the thread's idle shareable scopes, if it has one.</summary>
    private static TimeLimiterScopeSource? TakeIdleScope()
    {
        TimeLimiterScopeSource? scope = t_idleScope;
        if (scope is not null)
        {
            t_idleScope = null;
            return scope;
        }

        scope = t_idleScope2;
        t_idleScope2 = null;
        return scope;
    }

    private void Publish(TimeLimiterEventType type, Exception? exception)
    {
        if (Events.IsSubscribed(type))
        {
            Events.Publish(new TimeLimiterEvent
            {
                EventType = type,
                TimeLimiterName = Name,
                CreationTime = TimeProvider.GetUtcNow(),
                Exception = exception,
            });
        }
    }
}
