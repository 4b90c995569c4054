namespace Resilience.Internal;

/// <summary>
/// A window of recent call outcomes. Implementations are lock-free and allocate nothing per call.
/// </summary>
internal abstract class SlidingWindow
{
    protected SlidingWindow(int effectiveMinimumCalls) => EffectiveMinimumCalls = effectiveMinimumCalls;

    /// <summary>Gets the number of calls the window must hold before rates are computed.</summary>
    public int EffectiveMinimumCalls { get; }

    /// <summary>Records one outcome.</summary>
    /// <param name="outcome">The outcome, never <see cref="CallOutcome.None"/>.</param>
    /// <param name="now">The current time in the owning breaker's clock units.</param>
    /// <returns>
    /// <see langword="true"/> when the outcome may have moved a rate towards its threshold (or across the minimum
    /// number of calls), so the caller must evaluate the thresholds; <see langword="false"/> when it provably did not.
    /// </returns>
    public abstract bool Record(CallOutcome outcome, long now);

    /// <summary>Reads a consistent snapshot of the window at time <paramref name="now"/>.</summary>
    public abstract WindowCounts GetCounts(long now);

    /// <summary>Reads a snapshot for a threshold evaluation; a window may remember that the evaluation happened.</summary>
    public virtual WindowCounts GetCountsForEvaluation(long now) => GetCounts(now);
}
