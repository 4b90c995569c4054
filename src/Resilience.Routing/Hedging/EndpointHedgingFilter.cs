using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;
using Resilience.Routing.Internal;

namespace Resilience.Routing.DependencyInjection;

/// <summary>
/// Puts <see cref="EndpointHedgingHandler"/> just outside the routing handler of every client that opted in: after every
/// handler the client's own configuration added (so inside the retry and timeouts of the resilience handlers), and
/// before <see cref="EndpointRoutingHandler"/>, whichever filter runs first.
/// </summary>
internal sealed class EndpointHedgingFilter(IOptions<EndpointHedgingClients> clients, IServiceProvider services) : IHttpMessageHandlerBuilderFilter
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, LatencyWindow>> _latencies = new(StringComparer.Ordinal);

    public Action<HttpMessageHandlerBuilder> Configure(Action<HttpMessageHandlerBuilder> next) => builder =>
    {
        next(builder);
        if (builder.Name is null || !clients.Value.KeyPrefixes.ContainsKey(builder.Name))
        {
            return;
        }

        EndpointHedgingOptions options = services.GetRequiredService<IOptionsMonitor<EndpointHedgingOptions>>().Get(builder.Name);
        var settings = new HedgingSettings(
            options,
            services.GetService<TimeProvider>() ?? TimeProvider.System,
            services.GetRequiredService<HedgingTelemetry>(),
            _latencies.GetOrAdd(builder.Name, static _ => new(StringComparer.Ordinal)));
        var handler = new EndpointHedgingHandler(settings);
        IList<DelegatingHandler> handlers = builder.AdditionalHandlers;
        int routing = 0;
        while (routing < handlers.Count && handlers[routing] is not EndpointRoutingHandler)
        {
            routing++;
        }

        handlers.Insert(routing, handler);
    };
}
