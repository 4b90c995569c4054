namespace Resilience.Routing;

/// <summary>
/// The exception thrown when an endpoint's pool refuses a request: <see cref="EndpointRoutingOptions.MaxRequests"/>
/// requests are in flight to it and <see cref="EndpointRoutingOptions.MaxPendingRequests"/> already wait (Envoy's
/// pending-request overflow).
/// </summary>
/// <remarks>A rejection, like <see cref="BulkheadFullException"/>: the endpoint did not fail, so circuit breakers ignore
/// it by default.</remarks>
public sealed class EndpointPoolFullException : ResilienceRejectedException
{
    /// <summary>Initializes a new instance of the <see cref="EndpointPoolFullException"/> class.</summary>
    /// <param name="endpoint">The endpoint whose pool is full, such as <c>http://10.0.0.7:5001</c>.</param>
    public EndpointPoolFullException(string endpoint)
        : base(endpoint, $"The pool of endpoint '{endpoint}' is full: its maximum of requests are in flight and its queue of pending requests is full.")
    {
    }

    /// <summary>Gets the endpoint whose pool is full, such as <c>http://10.0.0.7:5001</c>.</summary>
    public string Endpoint => InstanceName;
}
