using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;

namespace Resilience.Discovery.Tests.DependencyInjection;

public sealed class DiscoveryHttpClientBuilderExtensionsTests
{
    [Fact]
    public async Task AddEndpointSetResolver_CalledTwice_RegistersOneResolverAndNoHandler()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Services:inventory:http:0"] = "http://10.0.0.7:5001" })
            .Build());

        services.AddEndpointSetResolver().AddEndpointSetResolver();
        await using ServiceProvider provider = services.BuildServiceProvider();

        services.Count(static d => d.ServiceType == typeof(EndpointSetResolver)).Should().Be(1);
        provider.GetServices<IHttpMessageHandlerBuilderFilter>().Should().NotContain(f => f.GetType().Name == "EndpointResolutionFilter");
        EndpointSet set = await provider.GetRequiredService<EndpointSetResolver>().GetEndpointSetAsync("http://inventory");
        set.Endpoints.Should().ContainSingle().Which.Address.Should().Be(new Uri("http://10.0.0.7:5001/"));
    }
}
