using System.Diagnostics;
using Resilience.Internal;

namespace Resilience;

/// <summary>The window and the not-permitted counter of a state. An open state shares the one of the state it came from.</summary>
internal sealed class BreakerMetrics(SlidingWindow? window)
{
    public static BreakerMetrics Empty() => new(null);

    public SlidingWindow? Window { get; } = window;

    public PaddedLong NotPermitted;
}

/// <summary>
/// One state of a breaker. The breaker holds the current state object in a single field and replaces it with a new
/// object on every transition, by compare-and-swap. A state object is never reinstalled, so a compare-and-swap from
/// a given object succeeds at most once: that is how each automatic transition happens exactly once.
/// </summary>
internal sealed class CircuitStateObject
{
    private static readonly ITimer Retired = new RetiredTimer();

    private ITimer? _timer;
    private int _halfOpenPermits;
    private int _failureRateExceededPublished;
    private int _slowCallRateExceededPublished;
    private volatile bool _openWaitElapsed;

    public CircuitStateObject(CircuitBreaker breaker, CircuitBreakerState kind, int attempts, BreakerMetrics metrics, int permits = 0, long openUntil = 0)
    {
        Breaker = breaker;
        Kind = kind;
        Attempts = attempts;
        Metrics = metrics;
        _halfOpenPermits = permits;
        PermitLimit = permits;
        OpenUntil = openUntil;
    }

    public CircuitBreaker Breaker { get; }

    public CircuitBreakerState Kind { get; }

    public int Attempts { get; }

    public BreakerMetrics Metrics { get; }

    /// <summary>Gets the half-open permit limit (the number of trial calls).</summary>
    public int PermitLimit { get; }

    /// <summary>Gets the end of the open wait, as a reading of the breaker's duration clock (<see cref="CircuitBreaker.Now"/>).</summary>
    public long OpenUntil { get; }

    /// <summary>Gets the length of the open wait.</summary>
    public TimeSpan OpenWait { get; init; }

    /// <summary>Gets a value indicating whether the open wait is over: the state's timer has run, or the clock has reached the deadline.</summary>
    /// <remarks>
    /// The clock answers on its own, so a busy thread pool that delays the timer's callback cannot keep the breaker
    /// open past its wait: the first call at or after the deadline is admitted to half-open, as documented.
    /// </remarks>
    public bool OpenWaitElapsed => _openWaitElapsed || Breaker.Now() >= OpenUntil;

    /// <summary>Gets whether events other than transitions and resets may be published in this state.</summary>
    public bool AllowsPublishing => Kind is not (CircuitBreakerState.Disabled or CircuitBreakerState.ForcedOpen);

    public int AvailablePermits => Volatile.Read(ref _halfOpenPermits);

    public void MarkOpenWaitElapsed() => _openWaitElapsed = true;

    /// <summary>Takes one half-open permit if one is left: a decrement-if-positive loop.</summary>
    public bool TryTakePermit()
    {
        int permits = Volatile.Read(ref _halfOpenPermits);
        while (permits > 0)
        {
            int seen = Interlocked.CompareExchange(ref _halfOpenPermits, permits - 1, permits);
            if (seen == permits)
            {
                Debug.Assert(permits - 1 >= 0, "Permits never go negative.");
                return true;
            }

            permits = seen;
        }

        return false;
    }

    /// <summary>Gives one half-open permit back, never above the limit (an over-release cannot raise it).</summary>
    /// <remarks>
    /// Invariant: free permits + permits taken and not given back = <see cref="PermitLimit"/>, so the trial calls in
    /// flight never exceed it. It holds because only <see cref="ReleasePermit"/> calls this, for a permit this very state
    /// granted, and each permit is completed once (checked in Debug builds); the cap only guards Release builds against
    /// a permit completed twice.
    /// </remarks>
    private void ReturnPermit()
    {
        int permits = Volatile.Read(ref _halfOpenPermits);
        Debug.Assert(permits < PermitLimit, "A permit comes back only to the state that granted it, so that state is never full then.");
        while (permits < PermitLimit)
        {
            int seen = Interlocked.CompareExchange(ref _halfOpenPermits, permits + 1, permits);
            if (seen == permits)
            {
                Debug.Assert(permits + 1 <= PermitLimit, "Permits never exceed the limit.");
                return;
            }

            permits = seen;
        }
    }

    /// <summary>Gives back a permit this state granted: a half-open trial permit goes back to this state; other states hold none.</summary>
    public void ReleasePermit()
    {
        if (Kind == CircuitBreakerState.HalfOpen)
        {
            ReturnPermit();
        }
    }

    /// <summary>Returns true exactly once per state object for each threshold (metrics-only events).</summary>
    public bool TryMarkFailureRateExceeded() => Interlocked.Exchange(ref _failureRateExceededPublished, 1) == 0;

    /// <inheritdoc cref="TryMarkFailureRateExceeded"/>
    public bool TryMarkSlowCallRateExceeded() => Interlocked.Exchange(ref _slowCallRateExceededPublished, 1) == 0;

    /// <summary>Attaches the state's timer; if the state was already left, the timer is disposed at once.</summary>
    public void AttachTimer(ITimer timer)
    {
        if (Interlocked.CompareExchange(ref _timer, timer, null) is not null)
        {
            timer.Dispose();
        }
    }

    /// <summary>Cancels the state's timer, if any, and prevents one from being attached later.</summary>
    public void Retire() => Interlocked.Exchange(ref _timer, Retired)?.Dispose();

    private sealed class RetiredTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => false;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
