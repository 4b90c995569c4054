namespace Resilience;

/// <summary>The settings of a <see cref="ThreadPoolBulkhead"/>. Every property has the default of Resilience4j.</summary>
/// <remarks>
/// A bulkhead copies its options when it is built and validates them then: changing an options object later has no
/// effect on bulkheads already built from it. An invalid value makes the constructor throw an
/// <see cref="ArgumentException"/> whose message names the option, the value and the valid range.
/// </remarks>
public sealed class ThreadPoolBulkheadOptions
{
    /// <summary>Gets or sets the number of threads the bulkhead keeps, and starts before it queues anything.</summary>
    /// <value>The default value is the processor count minus one, and at least 1. Valid values are 1 to 32,767, and at most <see cref="MaxThreadPoolSize"/>.</value>
    /// <remarks>While fewer threads than this exist, every accepted task starts a new thread, even if another thread is idle (as Java's <c>ThreadPoolExecutor</c>). Core threads never time out.</remarks>
    public int CoreThreadPoolSize { get; set; } = ThreadPoolBulkheadConstants.DefaultCoreThreadPoolSize;

    /// <summary>Gets or sets the largest number of threads, and so of tasks that run at once.</summary>
    /// <value>The default value is the processor count. Valid values are 1 to 32,767, and at least <see cref="CoreThreadPoolSize"/>.</value>
    /// <remarks>Threads above the core size are started only when the queue is full.</remarks>
    public int MaxThreadPoolSize { get; set; } = ThreadPoolBulkheadConstants.DefaultMaxThreadPoolSize;

    /// <summary>Gets or sets the number of tasks that may wait for a thread.</summary>
    /// <value>The default value is 100. Valid values are 0 or more.</value>
    /// <remarks>
    /// 0 makes a hand-off queue (Java's <c>SynchronousQueue</c>): a task is accepted only if an idle thread takes it
    /// now or a new thread can be started for it. Queued tasks run in FIFO order.
    /// </remarks>
    public int QueueCapacity { get; set; } = ThreadPoolBulkheadConstants.DefaultQueueCapacity;

    /// <summary>Gets or sets how long a thread above the core size may stay idle before it exits.</summary>
    /// <value>The default value is 20 ms. Valid values are zero (exit as soon as idle) to about 49.7 days.</value>
    /// <remarks>Measured with the bulkhead's <see cref="TimeProvider"/>.</remarks>
    public TimeSpan KeepAliveDuration { get; set; } = ThreadPoolBulkheadConstants.DefaultKeepAliveDuration;

    /// <summary>Gets or sets whether a task runs in the <see cref="ExecutionContext"/> of the code that submitted it.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    /// <remarks>
    /// When on, <see cref="AsyncLocal{T}"/> values (and what is built on them, such as <c>Activity.Current</c> and
    /// logging scopes) flow from the submitter to the worker, as Resilience4j's context propagators do. When off, every
    /// task starts in the default context, and values a task sets never reach the next task on the same thread.
    /// </remarks>
    public bool FlowExecutionContext { get; set; } = ThreadPoolBulkheadConstants.DefaultFlowExecutionContext;

    /// <summary>Returns a copy; the options hold no collections.</summary>
    internal ThreadPoolBulkheadOptions Clone() => (ThreadPoolBulkheadOptions)MemberwiseClone();

    /// <summary>Checks every option against its valid range, as the primitive's constructor does.</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names the option, the value and the valid range.</exception>
    /// <remarks>Front-ends that bind options (configuration, DI) call it to report a bad value before anything is built.</remarks>
    public void Validate() => ThreadPoolBulkheadOptionsValidator.Validate(this);
}
