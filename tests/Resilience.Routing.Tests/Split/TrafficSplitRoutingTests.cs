using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Resilience.Routing.Internal;
using Resilience.Routing.Tests.Integration;

namespace Resilience.Routing.Tests.Split;

/// <summary>The split through <c>AddEndpointRouting</c>: configuration reloads, and shares counted by real Kestrel instances.</summary>
public sealed class TrafficSplitRoutingTests
{
    [Fact]
    public async Task SendAsync_NinetyToTenOverRealInstances_SharesCountedByTheServers()
    {
        CountingServer[] servers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => CountingServer.StartAsync()));
        try
        {
            var settings = new Dictionary<string, string?>
            {
                ["Services:pricing:http:0"] = servers[0].Address,
                ["Services:pricing:http:1"] = servers[1].Address,
                ["Services:pricing:http:2"] = servers[2].Address,
            };
            // <traffic-split-configuration>
            // Endpoints of the configuration provider carry no version label: subsets list their addresses
            // (with the etcd registry, "Version": "v1" selects by the label instead).
            settings["Routing:pricing:Split:Subsets:v1:Addresses:0"] = servers[0].Address;
            settings["Routing:pricing:Split:Subsets:v1:Addresses:1"] = servers[1].Address;
            settings["Routing:pricing:Split:Subsets:v2:Addresses:0"] = servers[2].Address;
            settings["Routing:pricing:Split:Routes:0:Header"] = "x-canary";
            settings["Routing:pricing:Split:Routes:0:Exact"] = "always";
            settings["Routing:pricing:Split:Routes:0:Subset"] = "v2";
            settings["Routing:pricing:Split:Destinations:0:Subset"] = "v1";
            settings["Routing:pricing:Split:Destinations:0:Weight"] = "90";
            settings["Routing:pricing:Split:Destinations:1:Subset"] = "v2";
            settings["Routing:pricing:Split:Destinations:1:Weight"] = "10";
            // </traffic-split-configuration>
            IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
            var services = new ServiceCollection();
            services.AddSingleton(configuration);
            services.AddSingleton(RandomSource.Seeded(16));
            services.AddHttpClient("pricing", client => client.BaseAddress = new Uri("http://pricing"))
                .AddEndpointRouting(configuration.GetSection("Routing:pricing"));
            await using ServiceProvider provider = services.BuildServiceProvider();
            HttpClient http = provider.GetRequiredService<IHttpClientFactory>().CreateClient("pricing");

            for (int i = 0; i < 2_000; i++)
            {
                using HttpResponseMessage response = await http.GetAsync(new Uri("/who", UriKind.Relative));
                response.EnsureSuccessStatusCode();
            }

            using var canary = new HttpRequestMessage(HttpMethod.Get, new Uri("/who", UriKind.Relative));
            canary.Headers.Add("x-canary", "always");
            int before = servers[2].Requests;
            (await http.SendAsync(canary)).EnsureSuccessStatusCode();

            servers[2].Requests.Should().Be(before + 1, "x-canary: always goes to v2");
            (before / 2_000.0).Should().BeApproximately(0.10, 0.015);
            servers[0].Requests.Should().BeInRange(800, 1_000, "v1's 90 % is balanced over its two instances");
            servers[1].Requests.Should().BeInRange(800, 1_000);
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
    public async Task Reload_ValidThenInvalidSplit_SharesChangeThenStayAndTheRejectionIsLogged()
    {
        IConfigurationRoot configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Services:pricing:http:0"] = "http://10.0.0.1:80",
            ["Services:pricing:http:1"] = "http://10.0.0.2:80",
            ["Routing:pricing:Split:Subsets:v1:Addresses:0"] = "http://10.0.0.1",
            ["Routing:pricing:Split:Subsets:v2:Addresses:0"] = "http://10.0.0.2:80",
            ["Routing:pricing:Split:Destinations:0:Subset"] = "v1",
            ["Routing:pricing:Split:Destinations:0:Weight"] = "100",
            ["Routing:pricing:Split:Destinations:1:Subset"] = "v2",
            ["Routing:pricing:Split:Destinations:1:Weight"] = "0",
        }).Build();
        var logs = new LogCollector();
        var recorder = new RecordingHandler();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.AddProvider(logs));
        services.AddSingleton(RandomSource.Seeded(7));
        services.AddHttpClient("pricing", client => client.BaseAddress = new Uri("http://pricing"))
            .AddEndpointRouting(configuration.GetSection("Routing:pricing"))
            .ConfigurePrimaryHttpMessageHandler(() => recorder);
        await using ServiceProvider provider = services.BuildServiceProvider();
        HttpClient http = provider.GetRequiredService<IHttpClientFactory>().CreateClient("pricing");

        (await SharesAsync(http, recorder)).Should().Be(0, "v2 has weight 0");

        configuration["Routing:pricing:Split:Destinations:0:Weight"] = "50";
        configuration["Routing:pricing:Split:Destinations:1:Weight"] = "50";
        configuration.Reload();
        (await SharesAsync(http, recorder)).Should().BeApproximately(0.5, 0.05);

        configuration["Routing:pricing:Split:Destinations:1:Subset"] = "v3";
        configuration["Routing:pricing:Split:Destinations:1:Weight"] = "100";
        configuration.Invoking(static c => c.Reload()).Should().Throw<AggregateException>("the options monitor still raises the failure to the reload's caller");
        (await SharesAsync(http, recorder)).Should().BeApproximately(0.5, 0.05, "an invalid reload keeps the last good split");
        logs.Messages.Should().Contain(static m => m.Contains("Routing:pricing:Split:Destinations:1:Subset is 'v3', but it must be one of v1, v2.", StringComparison.Ordinal));
    }

    /// <summary>The share of 1,000 requests that reached v2 (<c>10.0.0.2</c>).</summary>
    private static async Task<double> SharesAsync(HttpClient http, RecordingHandler recorder)
    {
        recorder.Authorities.Clear();
        for (int i = 0; i < 1_000; i++)
        {
            using HttpResponseMessage response = await http.GetAsync(new Uri("/price", UriKind.Relative));
        }

        return recorder.Authorities.Count(static a => a == "10.0.0.2") / 1_000.0;
    }

    private sealed class RecordingHandler : HttpMessageHandler
    {
        public ConcurrentQueue<string> Authorities { get; } = new();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Authorities.Enqueue(request.RequestUri!.Host);
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK));
        }
    }

    private sealed class LogCollector : ILoggerProvider, ILogger
    {
        public ConcurrentQueue<string> Messages { get; } = new();

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Enqueue(formatter(state, exception) + exception);

        public void Dispose()
        {
        }
    }
}
