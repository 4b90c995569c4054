using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;
using Resilience.Discovery;
using Resilience.Routing.Internal;
using Resilience.Routing.LoadBalancing;
using Resilience.Routing.Split;

namespace Resilience.Routing.DependencyInjection;

/// <summary>
/// Adds <see cref="EndpointRoutingHandler"/> after every handler the client's own configuration added, so that it is
/// innermost whatever the order of <c>AddResilience</c> and <c>AddEndpointRouting</c>, and applies
/// <see cref="EndpointRoutingOptions.MaxConnections"/> to the primary handler.
/// </summary>
internal sealed class EndpointRoutingFilter(IOptions<EndpointRoutingClients> clients, IServiceProvider services) : IHttpMessageHandlerBuilderFilter
{
    private readonly ConcurrentDictionary<string, EndpointRouter> _routers = new(StringComparer.Ordinal);

    public Action<HttpMessageHandlerBuilder> Configure(Action<HttpMessageHandlerBuilder> next) => builder =>
    {
        next(builder);
        if (builder.Name is null || !clients.Value.KeyPrefixes.ContainsKey(builder.Name))
        {
            return;
        }

        EndpointRoutingOptions options = services.GetRequiredService<IOptionsMonitor<EndpointRoutingOptions>>().Get(builder.Name);
        if (options.MaxConnections is int connections)
        {
            switch (builder.PrimaryHandler)
            {
                case SocketsHttpHandler sockets:
                    sockets.MaxConnectionsPerServer = connections;
                    break;
                case HttpClientHandler handler:
                    handler.MaxConnectionsPerServer = connections;
                    break;
            }
        }

        builder.AdditionalHandlers.Add(new EndpointRoutingHandler(_routers.GetOrAdd(builder.Name, CreateRouter, options)));
    };

    private EndpointRouter CreateRouter(string name, EndpointRoutingOptions options)
    {
        TimeProvider time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        RandomSource random = services.GetService<RandomSource>() ?? RandomSource.Shared;
        ILoadBalancingPolicy policy = LoadBalancingPolicyFactory.Create(options, services.GetServices<ILoadBalancingPolicy>(), random, time);
        return new EndpointRouter(
            services.GetRequiredService<EndpointSetResolver>(),
            services.GetRequiredService<EndpointStateRegistry>(),
            policy,
            time,
            options,
            services.GetRequiredService<OutlierTelemetry>(),
            services.GetRequiredService<RetryBudgetTelemetry>())
        {
            Split = TrafficSplitter.Follow(services, name, random),
        };
    }
}
