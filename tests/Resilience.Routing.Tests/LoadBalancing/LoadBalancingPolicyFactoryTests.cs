using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Resilience.Routing.Internal;
using Resilience.Routing.LoadBalancing;

namespace Resilience.Routing.Tests.LoadBalancing;

public sealed class LoadBalancingPolicyFactoryTests
{
    [Theory]
    [InlineData("LeastRequest")]
    [InlineData("roundrobin")]
    [InlineData("RANDOM")]
    [InlineData("RingHash")]
    [InlineData("maglev")]
    public void Create_BuiltInName_ReturnsThatPolicyWhateverTheCase(string name)
    {
        ILoadBalancingPolicy policy = LoadBalancingPolicyFactory.Create(
            new EndpointRoutingOptions { Policy = name, HashHeader = "x-user" }, [new LastPolicy { Name = "Other" }], RandomSource.Seeded(1), TimeProvider.System);

        policy.Name.Should().BeEquivalentTo(name);
    }

    [Fact]
    public void Create_CustomPolicyName_ReturnsTheRegisteredPolicyCaseInsensitively()
    {
        var mine = new LastPolicy();

        ILoadBalancingPolicy policy = LoadBalancingPolicyFactory.Create(
            new EndpointRoutingOptions { Policy = "last" }, [new LastPolicy { Name = "Other" }, mine], RandomSource.Seeded(1), TimeProvider.System);

        policy.Should().BeSameAs(mine);
    }

    [Fact]
    public void Create_UnknownName_Throws()
    {
        Action create = () => LoadBalancingPolicyFactory.Create(new EndpointRoutingOptions { Policy = "Nearest" }, [], RandomSource.Seeded(1), TimeProvider.System);

        create.Should().Throw<InvalidOperationException>().WithMessage("No load-balancing policy is named 'Nearest'.");
    }

    [Fact]
    public async Task SendAsync_RegisteredCustomPolicy_ChoosesTheEndpointFromWhatTheContextShows()
    {
        var policy = new LastPolicy();
        var sent = new List<Uri>();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(TestEndpoints.Settings(0, 3)).Build());
        services.AddSingleton<ILoadBalancingPolicy>(policy);
        services.AddHttpClient("svc")
            .ConfigurePrimaryHttpMessageHandler(() => new RecordingHandler(sent))
            .AddEndpointRouting(static o => o.Policy = "Last");
        await using ServiceProvider provider = services.BuildServiceProvider();
        HttpClient http = provider.GetRequiredService<IHttpClientFactory>().CreateClient("svc");

        (await http.GetAsync(new Uri("http://svc/a"))).StatusCode.Should().Be(HttpStatusCode.OK);

        sent.Should().Equal(new Uri("http://10.0.0.3:80/a"));
        policy.Seen.Should().NotBeNull();
        (string service, long version, string[] endpoints, int[] weights, int[] active) = policy.Seen!.Value;
        service.Should().Be(TestEndpoints.Service);
        version.Should().BeGreaterThan(0);
        endpoints.Should().Equal("http://10.0.0.1", "http://10.0.0.2", "http://10.0.0.3");
        weights.Should().Equal(1, 1, 1);
        active.Should().Equal(0, 0, 0);
    }

    private sealed class LastPolicy : ILoadBalancingPolicy
    {
        public string Name { get; init; } = "Last";

        public (string Service, long Version, string[] Endpoints, int[] Weights, int[] Active)? Seen { get; private set; }

        public int Pick(in LoadBalancingContext context)
        {
            var endpoints = new string[context.Count];
            var weights = new int[context.Count];
            var active = new int[context.Count];
            int last = -1;
            for (int i = 0; i < context.Count; i++)
            {
                endpoints[i] = context.GetEndpoint(i).ToString();
                weights[i] = context.GetWeight(i);
                active[i] = context.GetActiveRequests(i);
                last = context.IsAvailable(i) ? i : last;
            }

            Seen = (context.ServiceName, context.Version, endpoints, weights, active);
            return last;
        }
    }

    private sealed class RecordingHandler(List<Uri> sent) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            sent.Add(request.RequestUri!);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
        }
    }
}
