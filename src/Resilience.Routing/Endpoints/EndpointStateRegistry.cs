using System.Collections.Concurrent;

namespace Resilience.Routing.Internal;

/// <summary>
/// The singleton registry of per-endpoint state, one <see cref="ServiceEndpoints"/> per service name (such as
/// <c>http://inventory</c>), shared by every client that routes to the service, with the service's outlier detector
/// and retry budget; disposed with the container, which stops the detectors' sweeps.
/// </summary>
internal sealed class EndpointStateRegistry : IDisposable
{
    private readonly ConcurrentDictionary<string, ServiceEndpoints> _services = new(StringComparer.Ordinal);

    /// <summary>The endpoints of <paramref name="serviceName"/>; allocation-free once the service is known.</summary>
    public ServiceEndpoints For(string serviceName) =>
        _services.GetOrAdd(serviceName, static name => new ServiceEndpoints(name));

    /// <summary>The endpoints of <paramref name="serviceName"/> if a request has been routed to it.</summary>
    public bool TryGet(string serviceName, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ServiceEndpoints? endpoints) =>
        _services.TryGetValue(serviceName, out endpoints);

    public void Dispose()
    {
        foreach (ServiceEndpoints service in _services.Values)
        {
            service.Dispose();
        }
    }
}
