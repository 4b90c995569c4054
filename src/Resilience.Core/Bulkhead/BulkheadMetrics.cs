namespace Resilience;

/// <summary>A snapshot of a <see cref="Bulkhead"/>'s permits, from <see cref="Bulkhead.GetMetrics"/>.</summary>
/// <remarks>
/// The fields are read one after the other without a lock, so under load they may come from slightly different
/// moments; each one is exact at the moment it was read.
/// </remarks>
public readonly struct BulkheadMetrics
{
    /// <summary>Gets the number of permits free now.</summary>
    /// <remarks>
    /// Never negative. After <see cref="Bulkhead.ChangeMaxConcurrentCalls"/> lowered the limit below the number of
    /// calls in flight, this reads 0 until enough of them have finished.
    /// </remarks>
    public int AvailableConcurrentCalls { get; internal init; }

    /// <summary>Gets the current limit: the configured <see cref="BulkheadOptions.MaxConcurrentCalls"/>, or the last value given to <see cref="Bulkhead.ChangeMaxConcurrentCalls"/>.</summary>
    public int MaxAllowedConcurrentCalls { get; internal init; }

    /// <summary>Gets the number of calls waiting for a permit.</summary>
    public int WaitingCalls { get; internal init; }
}
