namespace Resilience;

/// <summary>
/// The exception thrown when a bulkhead refuses a call: a semaphore <see cref="Bulkhead"/> that has no permit left
/// within its maximum wait, or a <c>ThreadPoolBulkhead</c> whose threads and queue are all taken.
/// </summary>
public sealed class BulkheadFullException : ResilienceRejectedException
{
    /// <summary>Initializes a new instance of the <see cref="BulkheadFullException"/> class.</summary>
    /// <param name="bulkheadName">The name of the bulkhead that refused the call.</param>
    public BulkheadFullException(string bulkheadName)
        : base(bulkheadName, $"Bulkhead '{bulkheadName}' is full and does not permit further calls.")
    {
    }

    /// <summary>Gets the name of the bulkhead that refused the call.</summary>
    public string BulkheadName => InstanceName;
}
