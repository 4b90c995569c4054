using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Resilience.Routing.Tests.Integration;

/// <summary>Outlier ejection and retries on another endpoint over five real Kestrel instances on loopback, one answering 503.</summary>
public sealed partial class EndpointRoutingTests
{
    [Fact]
    public async Task SendAsync_OneInstanceAnswers503_EjectedAfterFiveAndBackAfterBaseEjectionTime()
    {
        CountingServer[] servers = await Task.WhenAll(Enumerable.Range(0, 5).Select(i => CountingServer.StartAsync(i == 0 ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK)));
        try
        {
            // <outlier-ejection-settings>
            var settings = new Dictionary<string, string?>
            {
                ["Routing:svc:OutlierDetection:Consecutive5xx"] = "5",
                ["Routing:svc:OutlierDetection:BaseEjectionTime"] = "00:00:30",
                ["Routing:svc:OutlierDetection:MaxEjectionPercent"] = "20",
                ["Routing:svc:RetryBudget:BudgetPercent"] = "20",
            };
            // </outlier-ejection-settings>
            for (int i = 0; i < servers.Length; i++)
            {
                settings[$"Services:svc:http:{i}"] = servers[i].Address;
            }

            IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
            var time = new FakeTimeProvider();
            var services = new ServiceCollection();
            services.AddSingleton(configuration);
            services.AddSingleton<TimeProvider>(time); // the detector's clock (and the resilience handlers')
            // <outlier-ejection>
            services.AddResilientHttpClient("svc", o => o.Retry!.WaitDuration = TimeSpan.Zero)
                .ConfigureHttpClient(client => client.BaseAddress = new Uri("http://svc"))
                .AddEndpointRouting(configuration.GetSection("Routing:svc"));
            // </outlier-ejection>
            await using ServiceProvider provider = services.BuildServiceProvider();
            HttpClient http = provider.GetRequiredService<IHttpClientFactory>().CreateClient("svc");

            int failures = await SendAsync(http, 200);
            failures.Should().Be(0, "each 503 is retried on another instance");
            servers[0].Requests.Should().Be(5, "the fifth 503 in a row ejects the instance");

            time.Advance(TimeSpan.FromSeconds(29));
            failures = await SendAsync(http, 100);
            servers[0].Requests.Should().Be(5, "no traffic while ejected");

            time.Advance(TimeSpan.FromSeconds(1));
            failures += await SendAsync(http, 200);
            failures.Should().Be(0);
            servers[0].Requests.Should().Be(10, "back after 30 s, and ejected again (for 60 s) by five more 503s");
            servers.Skip(1).Should().OnlyContain(static s => s.Requests > 80, "the healthy four share the rest");
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
    public async Task StartAsync_InvalidOutlierDetectionAndRetryBudget_FailsNamingTheNestedKeys()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Routing:svc:OutlierDetection:MaxEjectionPercent"] = "150",
            ["Routing:svc:RetryBudget:MinRetryConcurrency"] = "-1",
        });
        builder.Services.AddHttpClient("svc").AddEndpointRouting(builder.Configuration.GetSection("Routing:svc"));
        using IHost host = builder.Build();

        Func<Task> start = () => host.StartAsync();

        (await start.Should().ThrowAsync<Microsoft.Extensions.Options.OptionsValidationException>()).Which.Failures.Should().BeEquivalentTo(
        [
            "Routing:svc:OutlierDetection:MaxEjectionPercent is 150, but it must be a percentage from 0 to 100.",
            "Routing:svc:RetryBudget:MinRetryConcurrency is -1, but it must be at least 0.",
        ]);
    }

    private static async Task<int> SendAsync(HttpClient http, int count)
    {
        int failures = 0;
        for (int i = 0; i < count; i++)
        {
            using HttpResponseMessage response = await http.GetAsync(new Uri("/who", UriKind.Relative));
            failures += response.IsSuccessStatusCode ? 0 : 1;
        }

        return failures;
    }
}
