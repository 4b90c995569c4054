using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Resilience;

/// <summary>
/// One call through a <see cref="TimeLimiter"/>: the token to hand to the operation, and exactly one completion.
/// Get one from <see cref="TimeLimiter.BeginScope"/>.
/// </summary>
/// <remarks>
/// <para>Every front-end of <see cref="TimeLimiter"/>, its own <see cref="TimeLimiter.ExecuteAsync{TState, TResult}"/>
/// included, drives a call this way:</para>
/// <code>
/// TimeLimiterScope scope = limiter.BeginScope(cancellationToken);
/// ValueTask&lt;T&gt; pending;
/// try { pending = OperationAsync(scope.Token); }
/// catch (Exception ex) { throw scope.RecordFailure(ex); }   // a time-out becomes TimeLimiterTimeoutException
/// return await scope.WaitAsync(pending);                   // the operation, or the time-out, whichever is first
/// </code>
/// <para><b>Completions.</b> Exactly one of <see cref="WaitAsync{TResult}(ValueTask{TResult})"/>, <see cref="RecordSuccess"/> and <see cref="RecordFailure"/>. Each publishes the limiter's event
/// (none for the caller's own cancellation) and gives the scope back to the limiter's pool. As in Resilience4j, the
/// timeout starts when <c>WaitAsync</c> gets an operation that is not complete; an operation that completes
/// synchronously never touches a timer. A call that blocks the caller's thread starts it with
/// <see cref="StartTimeout"/> before it blocks, and is bounded through <see cref="Token"/> (which needs
/// <see cref="TimeLimiterOptions.CancelRunningTask"/>).</para>
/// <para><b>Misuse.</b> A <see langword="default"/> scope, a second completion, and any use of a scope after its
/// completion throw <see cref="InvalidOperationException"/>, in every build: the pooled state behind a scope
/// changes version at each completion, so a stale copy is recognised.</para>
/// <para><b>Cost.</b> Beginning and completing a call that completes synchronously allocates nothing once the pool is
/// warm; an asynchronous one allocates only what its awaiting costs.</para>
/// </remarks>
public readonly struct TimeLimiterScope
{
    private readonly TimeLimiterScopeSource? _source;
    private readonly int _version;

    internal TimeLimiterScope(TimeLimiterScopeSource source, int version)
    {
        _source = source;
        _version = version;
    }

    /// <summary>Gets the token to hand to the operation: cancelled on timeout (with <see cref="TimeLimiterOptions.CancelRunningTask"/>) and when the caller's token is cancelled.</summary>
    /// <exception cref="InvalidOperationException">The scope is <see langword="default"/> or completed.</exception>
    public CancellationToken Token => Current().Token;

    /// <summary>Starts the timeout now, for an operation that blocks the caller's thread; <c>WaitAsync</c> starts it by itself.</summary>
    /// <exception cref="InvalidOperationException">The scope is <see langword="default"/> or completed, or the timeout was already started.</exception>
    public void StartTimeout()
    {
        TimeLimiterScopeSource source = Current();
        if (source.IsArmed)
        {
            throw new InvalidOperationException("The timeout of this call was already started.");
        }

        source.Arm();
    }

    /// <summary>Ends the call as a success: the operation completed with a result within the time limit.</summary>
    /// <exception cref="InvalidOperationException">The scope is <see langword="default"/> or completed.</exception>
    /// <remarks>A success reported after the timer fired is still a success, as a result produced before the time-out is noticed wins.</remarks>
    public void RecordSuccess() => Complete(Current());

    /// <summary>Ends the call of <paramref name="source"/>, the current source of this scope, as a success.</summary>
    private static void Complete(TimeLimiterScopeSource source)
    {
        TimeLimiter owner = source.Owner;
        source.Release();
        owner.OnSucceeded();
    }

    /// <summary>Ends the call as a failure and returns the exception the caller must get.</summary>
    /// <param name="exception">The exception the operation ended with.</param>
    /// <returns>
    /// A <see cref="TimeLimiterTimeoutException"/> (with <paramref name="exception"/> inside) when the operation was
    /// cancelled because the timeout expired; an <see cref="OperationCanceledException"/> carrying the caller's token when
    /// the caller cancelled; otherwise <paramref name="exception"/> itself.
    /// </returns>
    /// <exception cref="InvalidOperationException">The scope is <see langword="default"/> or completed.</exception>
    public Exception RecordFailure(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        TimeLimiterScopeSource source = Current();
        CancellationToken caller = source.Caller;
        bool timedOut = source.IsTimedOut;
        TimeLimiter owner = source.Owner;
        source.Release();
        return owner.OnFailed(exception, timedOut, caller);
    }

    /// <summary>Completes the call with <paramref name="pending"/>, the operation's task, or with the timeout or the caller's cancellation if either comes first.</summary>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="pending">The task the operation returned; it is awaited to the end even when the call ends first, and its exception then observed.</param>
    /// <returns>
    /// <paramref name="pending"/> itself when it had already succeeded; otherwise a task with its result, or faulted as
    /// <see cref="RecordFailure"/> says, or with a <see cref="TimeLimiterTimeoutException"/>, or cancelled with the
    /// caller's token.
    /// </returns>
    /// <exception cref="InvalidOperationException">The scope is <see langword="default"/> or completed.</exception>
    /// <remarks>A result that arrives after the caller was released is dropped: to dispose it, continue on the operation's own task.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ValueTask<TResult> WaitAsync<TResult>(ValueTask<TResult> pending)
    {
        TimeLimiterScopeSource source = Current();
        if (pending.IsCompletedSuccessfully)
        {
            Complete(source);
            return pending;
        }

        return WaitSlowAsync(source, pending);
    }

    /// <summary>The path of <see cref="WaitAsync{TResult}(ValueTask{TResult})"/> for an operation that failed or is still running.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private ValueTask<TResult> WaitSlowAsync<TResult>(TimeLimiterScopeSource source, ValueTask<TResult> pending)
    {
        if (pending.IsCompleted)
        {
            CancellationToken caller = source.Caller;
            try
            {
                _ = pending.GetAwaiter().GetResult();
            }
#pragma warning disable CA1031 // Classified and handed back through the task, as an async method would.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                return FromFailure<TResult>(RecordFailure(ex), caller);
            }
        }

        Race(source);
        return TimeLimiterRace<TResult>.Run(source.Owner, source, pending, source.Caller);
    }

    /// <summary>A caller's cancellation becomes a cancelled task, as an async method would make it; anything else a faulted one.</summary>
    internal static ValueTask<TResult> FromFailure<TResult>(Exception error, CancellationToken caller) =>
        error is OperationCanceledException && caller.IsCancellationRequested
            ? ValueTask.FromCanceled<TResult>(caller)
            : ValueTask.FromException<TResult>(error);

    /// <summary>Hands the scope to a race: starts the timeout if it was not, and retires this handle.</summary>
    private static void Race(TimeLimiterScopeSource source)
    {
        if (!source.IsArmed)
        {
            source.Arm();
        }

        source.Retire();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private TimeLimiterScopeSource Current()
    {
        TimeLimiterScopeSource? source = _source;
        if (source is null || source.Version != _version)
        {
            ThrowNotCurrent(source);
        }

        return source;
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNotCurrent(TimeLimiterScopeSource? source) =>
        throw new InvalidOperationException(source is null
            ? "This TimeLimiterScope was not begun: get one from TimeLimiter.BeginScope, not from default."
            : "This call through a time limiter is already completed: a scope takes one completion.");
}
