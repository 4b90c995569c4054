namespace Resilience;

/// <summary>A consistent snapshot of a <see cref="ThreadPoolBulkhead"/>'s threads and queue, from <see cref="ThreadPoolBulkhead.GetMetrics"/>.</summary>
/// <remarks>
/// Every count comes from one moment: <c>ActiveThreadCount ≤ ThreadPoolSize ≤ MaximumThreadPoolSize</c> and
/// <c>QueueDepth ≤ QueueCapacity</c> always hold, and the bulkhead accepts another task now exactly when
/// <see cref="AvailableThreadCount"/> + <see cref="RemainingQueueCapacity"/> is positive (an idle thread, a free queue
/// slot or room for one more thread).
/// </remarks>
public readonly struct ThreadPoolBulkheadMetrics
{
    /// <summary>Gets the number of threads the bulkhead keeps even when idle.</summary>
    public int CoreThreadPoolSize { get; internal init; }

    /// <summary>Gets the largest number of threads.</summary>
    public int MaximumThreadPoolSize { get; internal init; }

    /// <summary>Gets the number of threads that exist now, busy or idle.</summary>
    public int ThreadPoolSize { get; internal init; }

    /// <summary>Gets the number of threads that hold a task, from the moment it is handed to them until its result is set.</summary>
    public int ActiveThreadCount { get; internal init; }

    /// <summary>Gets the number of threads that could still take a task: <see cref="MaximumThreadPoolSize"/> − <see cref="ActiveThreadCount"/>.</summary>
    public int AvailableThreadCount => MaximumThreadPoolSize - ActiveThreadCount;

    /// <summary>Gets the number of tasks waiting in the queue.</summary>
    public int QueueDepth { get; internal init; }

    /// <summary>Gets the number of tasks the queue can hold; 0 for a hand-off queue.</summary>
    public int QueueCapacity { get; internal init; }

    /// <summary>Gets the number of free queue slots: <see cref="QueueCapacity"/> − <see cref="QueueDepth"/>.</summary>
    public int RemainingQueueCapacity => QueueCapacity - QueueDepth;
}
