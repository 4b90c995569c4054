using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Resilience.Routing.Tests.DependencyInjection;

public sealed class EndpointRoutingFilterTests
{
    [Fact]
    public async Task Configure_MaxConnectionsWithASocketsHandler_SetsItsConnectionsPerServer()
    {
        await using ServiceProvider provider = Provider(static () => new SocketsHttpHandler(), static o => o.MaxConnections = 7);

        Primary<SocketsHttpHandler>(provider, "svc").MaxConnectionsPerServer.Should().Be(7);
    }

    [Fact]
    public async Task Configure_MaxConnectionsWithAClientHandler_SetsItsConnectionsPerServer()
    {
        await using ServiceProvider provider = Provider(static () => new HttpClientHandler(), static o => o.MaxConnections = 3);

        Primary<HttpClientHandler>(provider, "svc").MaxConnectionsPerServer.Should().Be(3);
    }

    [Fact]
    public async Task Configure_ClientNotRouted_LeavesItsHandlersAlone()
    {
        await using ServiceProvider provider = Provider(static () => new SocketsHttpHandler(), static o => o.MaxConnections = 7);

        Primary<SocketsHttpHandler>(provider, "plain").MaxConnectionsPerServer.Should().Be(int.MaxValue);
        Chain(provider, "plain").Should().NotContain(static h => h.GetType().Name == "EndpointRoutingHandler");
        Chain(provider, "svc").Should().Contain(static h => h.GetType().Name == "EndpointRoutingHandler");
    }

    private static ServiceProvider Provider(Func<HttpMessageHandler> primary, Action<EndpointRoutingOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(TestEndpoints.Settings(0, 1)).Build());
        services.AddHttpClient("svc").ConfigurePrimaryHttpMessageHandler(primary).AddEndpointRouting(configure);
        services.AddHttpClient("plain").ConfigurePrimaryHttpMessageHandler(primary);
        return services.BuildServiceProvider();
    }

    private static List<HttpMessageHandler> Chain(ServiceProvider provider, string name)
    {
        var chain = new List<HttpMessageHandler>();
        HttpMessageHandler? handler = provider.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(name);
        while (handler is not null)
        {
            chain.Add(handler);
            handler = (handler as DelegatingHandler)?.InnerHandler;
        }

        return chain;
    }

    private static T Primary<T>(ServiceProvider provider, string name)
        where T : HttpMessageHandler => Chain(provider, name).OfType<T>().Single();
}
