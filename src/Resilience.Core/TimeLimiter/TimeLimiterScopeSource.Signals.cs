namespace Resilience;

/// <summary>The signals of a <see cref="TimeLimiterScopeSource"/>: the caller's cancellation and the timer, and the race they reach.</summary>
/// <remarks>See the remarks of the main part for the invariants; these callbacks may run late, on a scope that was dropped.</remarks>
internal sealed partial class TimeLimiterScopeSource
{
    /// <summary>Connects a race (the call went asynchronous), then hands it the signals that already happened.</summary>
    public void Attach(TimeLimiterRace race, int generation)
    {
        _raceGeneration = generation;
        Interlocked.Exchange(ref _race, race);

        // The caller's cancellation is checked first: when both happened already, the caller asked to stop.
        if (Volatile.Read(ref _callerCanceled) != 0)
        {
            race.TrySignalCallerCanceled(generation);
        }

        if (_timer is not null)
        {
            if (Volatile.Read(ref _timerState) == Fired)
            {
                race.TrySignalTimeout(generation);
            }
        }
        else if (_timerSource is not null && _timerSource.IsCancellationRequested)
        {
            // The timer fired before the race was attached; its callback found no race to signal.
            race.TrySignalTimeout(generation);
        }
    }

    private void OnCallerCanceled()
    {
        Interlocked.Exchange(ref _callerCanceled, 1);
        Volatile.Read(ref _race)?.TrySignalCallerCanceled(Volatile.Read(ref _raceGeneration));
        CancelSource();
    }

    private void OnTimerFired()
    {
        if (Interlocked.CompareExchange(ref _timerState, Fired, Armed) != Armed)
        {
            return; // Disarmed by the end of the call, or a stale firing on a dropped scope.
        }

        SignalTimeout();
        if (_owner.CancelRunningTask)
        {
            CancelSource();
        }
    }

    private void OnTimerSourceCanceled()
    {
        // The caller is released before the operation hears of the timeout.
        SignalTimeout();
        if (_cancelsRunningTask)
        {
            CancelSource();
        }
    }

    /// <summary>
    /// Ends the race with the timeout, unless the caller had already cancelled: its own stop wins then, as
    /// <see cref="Attach"/> decides when both came before the race. (The timer may fire between the race's attachment
    /// and that check.)
    /// </summary>
    private void SignalTimeout()
    {
        TimeLimiterRace? race = Volatile.Read(ref _race);
        if (race is null)
        {
            return; // Attach will hand the race what already happened.
        }

        int generation = Volatile.Read(ref _raceGeneration);
        if (Volatile.Read(ref _callerCanceled) != 0)
        {
            race.TrySignalCallerCanceled(generation);
        }
        else
        {
            race.TrySignalTimeout(generation);
        }
    }

    private void CancelSource()
    {
        try
        {
            _source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The call ended and the scope was dropped meanwhile; there is nothing left to cancel.
        }
    }
}
