using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;
using Resilience.Internal;

namespace Resilience;

/// <summary>The result of a call whose operation did not complete synchronously: the first of the operation, the timeout and the caller's cancellation.</summary>
/// <remarks>
/// <para>A race is won once per call by compare-and-swap on <c>_state</c>, which holds the generation of the call
/// (its use count, times two) plus one bit for "won". A signal carries the generation it was armed for, so a late
/// signal for an earlier call can never win a later call of the same pooled race.</para>
/// <para>The race is recycled when two references are gone: the caller's (it read the result) and the
/// operation's (it completed and its outcome was read). An operation that loses the race is still awaited to the
/// end, so its exception is always observed.</para>
/// </remarks>
internal abstract class TimeLimiterRace
{
    /// <summary>Completes the race with a timeout, unless something else won it.</summary>
    public abstract void TrySignalTimeout(int generation);

    /// <summary>Completes the race with the caller's cancellation, unless something else won it.</summary>
    public abstract void TrySignalCallerCanceled(int generation);
}

/// <summary>A pooled race for operations that return <typeparamref name="TResult"/>.</summary>
/// <typeparam name="TResult">The result type (<see cref="VoidResult"/> for a call without one).</typeparam>
internal sealed class TimeLimiterRace<TResult> : TimeLimiterRace, IValueTaskSource<TResult>
{
    private static readonly TimeLimiterPool<TimeLimiterRace<TResult>> Pool = new();

    private readonly Action _onOperationCompleted;
    private ManualResetValueTaskSourceCore<TResult> _core;
    private TimeLimiter? _owner;
    private TimeLimiterScopeSource? _scope;
    private CancellationToken _caller;
    private ValueTask<TResult> _pending;
    private int _state;
    private int _references;

    private TimeLimiterRace() => _onOperationCompleted = OnOperationCompleted;

    private int Generation => Volatile.Read(ref _state) >> 1;

    /// <summary>Races <paramref name="pending"/> against the scope's timeout and the caller's token.</summary>
    public static ValueTask<TResult> Run(TimeLimiter owner, TimeLimiterScopeSource scope, ValueTask<TResult> pending, CancellationToken caller)
    {
        TimeLimiterRace<TResult> race = Rent(owner, scope, caller);
        race._pending = pending;
        short version = race._core.Version;
        race.Start(pending.ConfigureAwait(false).GetAwaiter());
        return new ValueTask<TResult>(race, version);
    }

    public override void TrySignalTimeout(int generation)
    {
        if (!TryWin(generation))
        {
            return;
        }

        Exception timeout = _owner!.OnTimedOut(inner: null);
        _core.RunContinuationsAsynchronously = true; // never run the caller's code on the timer's thread
        _core.SetException(timeout);
    }

    public override void TrySignalCallerCanceled(int generation)
    {
        if (!TryWin(generation))
        {
            return;
        }

        _core.RunContinuationsAsynchronously = true; // never run the caller's code inside its own Cancel()
        _core.SetException(new OperationCanceledException(_caller));
    }

    public TResult GetResult(short token)
    {
        if (token != _core.Version)
        {
            throw new InvalidOperationException("The result of a time-limited call was already read.");
        }

        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            ReleaseReference();
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    private static TimeLimiterRace<TResult> Rent(TimeLimiter owner, TimeLimiterScopeSource scope, CancellationToken caller)
    {
        TimeLimiterRace<TResult> race = Pool.TryRent() ?? new TimeLimiterRace<TResult>();
        Debug.Assert((race._state & 1) == 0 && race._references == 0, "A pooled race is neither won nor referenced.");
        race._owner = owner;
        race._scope = scope;
        race._caller = caller;
        race._references = 2;
        return race;
    }

    private void Start(in ConfiguredValueTaskAwaitable<TResult>.ConfiguredValueTaskAwaiter awaiter)
    {
        _scope!.Attach(this, Generation);
        awaiter.UnsafeOnCompleted(_onOperationCompleted);
    }

    private bool TryWin(int generation)
    {
        int open = generation << 1;
        return Interlocked.CompareExchange(ref _state, open | 1, open) == open;
    }

    private void OnOperationCompleted()
    {
        TResult result = default!;
        Exception? error = null;
        try
        {
            result = _pending.GetAwaiter().GetResult();
        }
#pragma warning disable CA1031 // The operation's exception is handed to the caller, or observed if the caller already left.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            error = ex;
        }

        _pending = default;
        TimeLimiterScopeSource scope = _scope!;
        TimeLimiter owner = _owner!;
        bool timedOut = scope.IsTimedOut;
        bool won = TryWin(Generation);
        scope.Release();
        if (won)
        {
            if (error is null)
            {
                owner.OnSucceeded();
                _core.SetResult(result);
            }
            else
            {
                _core.SetException(owner.OnFailed(error, timedOut, _caller));
            }
        }
        else if (error is not null)
        {
            owner.OnAbandonedFault();
        }

        ReleaseReference();
    }

    private void ReleaseReference()
    {
        if (Interlocked.Decrement(ref _references) != 0)
        {
            return;
        }

        Debug.Assert((_state & 1) == 1, "A race is recycled only after it was won.");
        _owner = null;
        _scope = null;
        _caller = default;
        _core.Reset();
        _core.RunContinuationsAsynchronously = false;
        Volatile.Write(ref _state, unchecked((Generation + 1) << 1));
        Pool.TryReturn(this);
    }
}
