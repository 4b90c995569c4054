using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;

namespace Resilience.Discovery.Internal;

/// <summary>The names of the clients that opted in with <c>AddEndpointResolution</c>.</summary>
internal sealed class EndpointResolutionClients
{
    public HashSet<string> Names { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// Adds <see cref="EndpointResolvingHandler"/> after every handler the client's own configuration added, so that it is
/// innermost whatever the order of <c>AddResilience</c> and <c>AddEndpointResolution</c>.
/// </summary>
internal sealed class EndpointResolutionFilter(IOptions<EndpointResolutionClients> clients, EndpointSetResolver resolver) : IHttpMessageHandlerBuilderFilter
{
    public Action<HttpMessageHandlerBuilder> Configure(Action<HttpMessageHandlerBuilder> next) => builder =>
    {
        next(builder);
        if (builder.Name is not null && clients.Value.Names.Contains(builder.Name))
        {
            builder.AdditionalHandlers.Add(new EndpointResolvingHandler(resolver));
        }
    };
}
