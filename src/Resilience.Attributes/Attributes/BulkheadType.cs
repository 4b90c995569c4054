namespace Resilience.Attributes;

/// <summary>Which bulkhead a <see cref="BulkheadAttribute"/> applies (Resilience4j's <c>Bulkhead.Type</c>).</summary>
public enum BulkheadType
{
    /// <summary>A semaphore bulkhead (<see cref="Resilience.Bulkhead"/>): the call runs on the caller's thread. The default.</summary>
    Semaphore = 0,

    /// <summary>A thread-pool bulkhead (<see cref="Resilience.ThreadPoolBulkhead"/>): asynchronous methods only.</summary>
    ThreadPool = 1,
}
