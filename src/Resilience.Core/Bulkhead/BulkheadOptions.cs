namespace Resilience;

/// <summary>The settings of a <see cref="Bulkhead"/>. Every property has the default of Resilience4j.</summary>
/// <remarks>
/// A bulkhead copies its options when it is built and validates them then: changing an options object later has no
/// effect on bulkheads already built from it. Use <see cref="Bulkhead.ChangeConfig"/> (or
/// <see cref="Bulkhead.ChangeMaxConcurrentCalls"/>) to change a running bulkhead. An invalid value makes the constructor throw an <see cref="ArgumentOutOfRangeException"/>
/// whose message names the option, the value and the valid range.
/// </remarks>
public sealed class BulkheadOptions
{
    /// <summary>Gets or sets the number of calls the bulkhead lets run at the same time.</summary>
    /// <value>The default value is 25. Valid values are 0 or more; 0 refuses every call (after the wait, if any).</value>
    public int MaxConcurrentCalls { get; set; } = BulkheadConstants.DefaultMaxConcurrentCalls;

    /// <summary>Gets or sets how long a call may wait for a permit when none is free.</summary>
    /// <value>The default value is <see cref="TimeSpan.Zero"/>: a call that finds no free permit is refused at once. Valid values are 0 to about 49.7 days.</value>
    /// <remarks>
    /// The wait is measured with the bulkhead's <see cref="TimeProvider"/>. Synchronous calls block their thread while
    /// they wait; asynchronous calls wait without blocking and can be cancelled with their token.
    /// </remarks>
    public TimeSpan MaxWaitDuration { get; set; } = BulkheadConstants.DefaultMaxWaitDuration;

    /// <summary>Gets or sets whether waiting calls are served strictly in arrival order.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    /// <remarks>
    /// When <see langword="true"/>, a freed permit goes to the oldest waiting call, and a new call does not take a
    /// free permit while others wait. When <see langword="false"/>, waiting calls are still served oldest first, but
    /// a new call may take a permit that was just freed before the oldest waiter gets it (barging), which gives more
    /// throughput and less predictable waits.
    /// </remarks>
    public bool FairCallHandlingEnabled { get; set; } = BulkheadConstants.DefaultFairCallHandlingEnabled;

    /// <summary>Returns a copy; the options hold no collections, so a shallow copy is a deep one.</summary>
    internal BulkheadOptions Clone() => (BulkheadOptions)MemberwiseClone();

    /// <summary>Checks every option against its valid range, as the primitive's constructor does.</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names the option, the value and the valid range.</exception>
    /// <remarks>Front-ends that bind options (configuration, DI) call it to report a bad value before anything is built.</remarks>
    public void Validate() => BulkheadOptionsValidator.Validate(this);
}
