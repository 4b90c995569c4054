using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Resilience.Discovery;

namespace Resilience.Routing.Tests.Integration;

/// <summary>Three real Kestrel instances of <c>svc</c> on loopback, behind the configuration provider.</summary>
public sealed partial class EndpointRoutingTests
{
    [Theory]
    [InlineData("RoundRobin")]
    [InlineData("LeastRequest")]
    public async Task SendAsync_ThreeInstances_SharesAsThePolicySays(string policy)
    {
        CountingServer[] servers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => CountingServer.StartAsync()));
        try
        {
            var settings = new Dictionary<string, string?> { ["Routing:svc:Policy"] = policy };
            for (int i = 0; i < servers.Length; i++)
            {
                settings[$"Services:svc:http:{i}"] = servers[i].Address;
            }

            IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
            var services = new ServiceCollection();
            services.AddSingleton(configuration);
            // <routing-quick-start>
            services.AddHttpClient("svc", client => client.BaseAddress = new Uri("http://svc"))
                .AddEndpointRouting(configuration.GetSection("Routing:svc"));
            // </routing-quick-start>
            await using ServiceProvider provider = services.BuildServiceProvider();
            HttpClient http = provider.GetRequiredService<IHttpClientFactory>().CreateClient("svc");

            var endpoints = new HashSet<string>();
            for (int i = 0; i < 300; i++)
            {
                using HttpResponseMessage response = await http.GetAsync(new Uri("/who", UriKind.Relative));
                response.EnsureSuccessStatusCode();
                response.RequestMessage!.RequestUri.Should().Be(new Uri("http://svc/who"), "the logical address is put back");
                response.RequestMessage.Options.TryGetValue(EndpointRoutingOptions.EndpointKey, out DiscoveredEndpoint? endpoint).Should().BeTrue();
                endpoints.Add(endpoint!.ToString());
            }

            endpoints.Should().HaveCount(3);
            if (policy == "RoundRobin")
            {
                servers.Should().OnlyContain(static s => s.Requests == 100);
            }
            else
            {
                servers.Should().OnlyContain(static s => s.Requests > 60, "sequential requests leave every instance idle: two random choices spread them");
            }
        }
        finally
        {
            foreach (CountingServer server in servers)
            {
                await server.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task StartAsync_InvalidOptions_FailsNamingTheKeys()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Routing:svc:Policy"] = "Maglev",
            ["Routing:svc:MaglevTableSize"] = "65536",
            ["Routing:svc:ChoiceCount"] = "1",
            ["Routing:svc:SlowStartMinWeightPercent"] = "150",
            ["Routing:svc:MaxPendingRequests"] = "5",
            ["Routing:svc:AttemptTimeout"] = "00:00:00",
        });
        builder.Services.AddHttpClient("svc").AddEndpointRouting(builder.Configuration.GetSection("Routing:svc"));
        using IHost host = builder.Build();

        Func<Task> start = () => host.StartAsync();

        (await start.Should().ThrowAsync<Microsoft.Extensions.Options.OptionsValidationException>()).Which.Failures.Should().BeEquivalentTo(
        [
            "Routing:svc:HashHeader and Routing:svc:HashProperty are both empty, but Maglev needs exactly one of them as its hash key.",
            "Routing:svc:ChoiceCount is 1, but it must be from 2 to 64.",
            "Routing:svc:MaglevTableSize is 65536, but it must be a prime from 2 to 5000011, such as 65537.",
            "Routing:svc:SlowStartMinWeightPercent is 150, but it must be from 0 to 100.",
            "Routing:svc:MaxPendingRequests is set, but requests wait only for Routing:svc:MaxRequests, which is not.",
            "Routing:svc:AttemptTimeout is 0, but it must be above 0 (or absent: no per-attempt limit).",
        ]);
    }

    [Fact]
    public async Task StartAsync_UnknownPolicyInCode_FailsListingTheNames()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddHttpClient("svc").AddEndpointRouting(o => o.Policy = "Fastest");
        await using ServiceProvider provider = services.BuildServiceProvider();

        Action get = () => provider.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<EndpointRoutingOptions>>().Get("svc");

        get.Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>().Which.Failures.Should().ContainSingle()
            .Which.Should().Be("EndpointRoutingOptions[svc].Policy is 'Fastest', but it must be one of LeastRequest, RoundRobin, Random, RingHash, Maglev.");
    }
}
