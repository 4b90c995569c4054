using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Resilience.Routing.Tests.Hedging;

public sealed class HedgingHttpClientBuilderExtensionsTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AddEndpointHedging_TwoInstancesOneSlow_TheFastOneAnswersThroughTheHedge()
    {
        await using SlowFirstServers servers = await SlowFirstServers.StartAsync(2);
        var time = new FakeTimeProvider();
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Services:svc:http:0"] = servers.Addresses[0],
            ["Services:svc:http:1"] = servers.Addresses[1],
            ["Hedging:svc:Delay"] = "00:00:00.200",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddSingleton<TimeProvider>(time);
        // <hedging-quick-start>
        services.AddHttpClient("svc", client => client.BaseAddress = new Uri("http://svc"))
            .AddEndpointRouting(configuration.GetSection("Routing:svc"))
            .AddEndpointHedging(configuration.GetSection("Hedging:svc"));
        // </hedging-quick-start>
        await using ServiceProvider provider = services.BuildServiceProvider();
        HttpClient http = provider.GetRequiredService<IHttpClientFactory>().CreateClient("svc");

        Task<HttpResponseMessage> sending = http.GetAsync(new Uri("/who", UriKind.Relative));
        int slow = await servers.SlowArrived.Task.WaitAsync(Wait);
        time.Advance(TimeSpan.FromMilliseconds(200));
        using HttpResponseMessage response = await sending.WaitAsync(Wait);

        (await response.Content.ReadAsStringAsync()).Should().Be((1 - slow).ToString(System.Globalization.CultureInfo.InvariantCulture), "the hedge goes to the other instance");
        response.RequestMessage!.RequestUri.Should().Be(new Uri("http://svc/who"));
        servers.Answered.Should().Be(1, "the slow instance is still waiting: the hedge's answer did not wait for it");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AddEndpointHedging_EitherCallOrder_HedgesOutsideTheRoutingHandler(bool hedgingFirst)
    {
        var time = new FakeTimeProvider();
        var inner = new ScriptedHandler(time);
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(TestEndpoints.Settings(0, 2)).Build());
        services.AddSingleton<TimeProvider>(time);
        IHttpClientBuilder builder = services.AddHttpClient("svc").ConfigurePrimaryHttpMessageHandler(() => inner);
        if (hedgingFirst)
        {
            builder.AddEndpointHedging().AddEndpointRouting();
        }
        else
        {
            builder.AddEndpointRouting().AddEndpointHedging();
        }

        await using ServiceProvider provider = services.BuildServiceProvider();
        HttpClient http = provider.GetRequiredService<IHttpClientFactory>().CreateClient("svc");

        Task<HttpResponseMessage> sending = http.GetAsync(new Uri("http://svc/x"));
        ScriptedHandler.Call primary = await inner.NextAsync();
        time.Advance(TimeSpan.FromSeconds(2));
        ScriptedHandler.Call hedge = await inner.NextAsync();
        hedge.Answer(HttpStatusCode.OK);
        (await sending).Dispose();
        primary.Answer(HttpStatusCode.OK);

        new[] { primary.Address, hedge.Address }.Should().BeEquivalentTo(
            [new Uri("http://10.0.0.1:80/x"), new Uri("http://10.0.0.2:80/x")], "least request never picks the busy endpoint of two for the hedge");
    }

    [Fact]
    public async Task AddEndpointHedging_RingHashKeepsTheKeyOnOneEndpoint_HedgeStillGoesToAnother()
    {
        var time = new FakeTimeProvider();
        var inner = new ScriptedHandler(time);
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(TestEndpoints.Settings(0, 3)).Build());
        services.AddSingleton<TimeProvider>(time);
        services.AddHttpClient("svc").ConfigurePrimaryHttpMessageHandler(() => inner)
            .AddEndpointRouting(o =>
            {
                o.Policy = LoadBalancingPolicies.RingHash;
                o.HashHeader = "x-user";
            })
            .AddEndpointHedging();
        await using ServiceProvider provider = services.BuildServiceProvider();
        HttpClient http = provider.GetRequiredService<IHttpClientFactory>().CreateClient("svc");
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://svc/x");
        request.Headers.Add("x-user", "alice");

        Task<HttpResponseMessage> sending = http.SendAsync(request);
        ScriptedHandler.Call primary = await inner.NextAsync();
        time.Advance(TimeSpan.FromSeconds(2));
        ScriptedHandler.Call hedge = await inner.NextAsync();
        hedge.Answer(HttpStatusCode.OK);
        (await sending).Dispose();
        primary.Answer(HttpStatusCode.OK);

        hedge.Address.Should().NotBe(primary.Address, "the primary's endpoint is recorded for the hedge, which avoids it although the hash names it");
    }

    [Fact]
    public async Task StartAsync_InvalidOptions_FailsNamingTheKeys()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Hedging:svc:Delay"] = "02:00:00",
            ["Hedging:svc:DelayPercentile"] = "0",
            ["Hedging:svc:MaxHedgedAttempts"] = "0",
        });
        builder.Services.AddHttpClient("svc").AddEndpointRouting().AddEndpointHedging(builder.Configuration.GetSection("Hedging:svc"));
        using IHost host = builder.Build();

        Func<Task> start = () => host.StartAsync();

        (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Failures.Should().BeEquivalentTo(
        [
            "Hedging:svc:Delay is 2 h, but it must be from 0 s to 1 h.",
            "Hedging:svc:DelayPercentile is 0, but it must be above 0 and at most 100, such as 95.",
            "Hedging:svc:MaxHedgedAttempts is 0, but it must be from 1 to 10.",
        ]);
    }

    [Fact]
    public async Task AddEndpointHedging_UnknownKey_FailsBinding()
    {
        var services = new ServiceCollection();
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Hedging:svc:Delays"] = "1" }).Build();
        services.AddSingleton(configuration);
        services.AddHttpClient("svc").AddEndpointHedging(configuration.GetSection("Hedging:svc"));
        await using ServiceProvider provider = services.BuildServiceProvider();

        Action get = () => provider.GetRequiredService<IOptionsMonitor<EndpointHedgingOptions>>().Get("svc");

        get.Should().Throw<InvalidOperationException>().WithMessage("*Delays*");
    }
}
