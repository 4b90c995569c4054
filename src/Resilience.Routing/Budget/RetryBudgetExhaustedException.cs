namespace Resilience.Routing;

/// <summary>
/// The exception that ends a request when a retry to its destination service was due but the service's retry budget
/// had no room: too many retries were already in flight for the requests (see <see cref="RetryBudgetOptions"/>).
/// </summary>
/// <remarks>A rejection, not a failure of the destination: the last response or exception of the request is its
/// <see cref="Exception.InnerException"/> when it was an exception.</remarks>
public sealed class RetryBudgetExhaustedException : ResilienceRejectedException
{
    /// <summary>Initializes a new instance of the <see cref="RetryBudgetExhaustedException"/> class.</summary>
    /// <param name="serviceName">The destination service whose budget refused the retry.</param>
    /// <param name="innerException">The failure the retry would have answered, if it was an exception.</param>
    public RetryBudgetExhaustedException(string serviceName, Exception? innerException = null)
        : base(serviceName, $"The retry budget of service '{serviceName}' is exhausted: too many retries are in flight for its requests.", innerException)
    {
    }

    /// <summary>Gets the destination service whose budget refused the retry.</summary>
    public string ServiceName => InstanceName;
}
