using System.Collections.Frozen;
using Resilience.Http.Telemetry;

namespace Resilience.Http.Handlers;

/// <summary>
/// Sends each request of a Refit client through the retry and circuit breaker its method names: the handler reads
/// the interface and the method that Refit puts in the request's options (<c>Refit.InterfaceType</c>, a
/// <see cref="Type"/>, and <c>Refit.MethodName</c>, a <see cref="string"/>) and runs the request through that
/// method's route, a retry handler over a breaker handler over this handler's inner handler. A request of another
/// interface, or of a method without layers, goes straight through.
/// </summary>
/// <remarks>The routes are built with the handler; their primitives live in the registry, so they outlive it. Two
/// dictionary reads per request, no allocation.</remarks>
internal sealed class MethodLayersHandler : ResilienceHandler
{
    private static readonly HttpRequestOptionsKey<Type> InterfaceTypeKey = new("Refit.InterfaceType");
    private static readonly HttpRequestOptionsKey<string> MethodNameKey = new("Refit.MethodName");

    private readonly Type _client;
    private readonly FrozenDictionary<string, ResilienceHandler> _routes;

    public MethodLayersHandler(Type client, IReadOnlyDictionary<string, Func<DelegatingHandler, ResilienceHandler>> routes, string registrationKey, TelemetrySource source, HttpResilienceTelemetry telemetry)
        : base(registrationKey, source, telemetry)
    {
        _client = client;
        _routes = routes.ToFrozenDictionary(pair => pair.Key, pair => pair.Value(new Tail(this)), StringComparer.Ordinal);
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Route(request) is { } route ? route.SendThroughAsync(request, cancellationToken) : SendInnerAsync(request, cancellationToken);

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Route(request) is { } route ? route.SendThrough(request, cancellationToken) : SendInner(request, cancellationToken);

    private ResilienceHandler? Route(HttpRequestMessage request) =>
        request.Options.TryGetValue(InterfaceTypeKey, out Type? client) && client == _client
        && request.Options.TryGetValue(MethodNameKey, out string? method) && method is not null
        && _routes.TryGetValue(method, out ResilienceHandler? route)
            ? route
            : null;

    /// <summary>The innermost handler of every route: back to this handler's inner handler.</summary>
    private sealed class Tail(MethodLayersHandler owner) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            owner.SendInnerAsync(request, cancellationToken);

        protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
            owner.SendInner(request, cancellationToken);
    }
}
