namespace Resilience.Http;

/// <summary>What the Resilience meter observes besides the HTTP clients.</summary>
public sealed class ResilienceTelemetryOptions
{
    /// <summary>
    /// Gets the thread-pool bulkhead registries whose instances are reported as
    /// <c>resilience.thread_pool_bulkhead.queue_depth</c>, <c>.queue_capacity</c> and <c>.thread_pool_size</c>,
    /// read at each collection, so instances added later are included.
    /// </summary>
    public IList<ThreadPoolBulkheadRegistry> ThreadPoolBulkheadRegistries { get; } = [];
}
