using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Resilience.Routing.Internal;

namespace Resilience.Routing.Tests.Internal;

/// <summary>The handler's wiring of outlier detection, retries on another endpoint and the retry budget, over stub endpoints <c>10.0.0.1</c>… with a fake clock.</summary>
public sealed partial class EndpointRoutingHandlerTests
{
    private const string Bad = "10.0.0.1";

    [Fact]
    public async Task SendAsync_Fifth5xxInARow_EjectsTheEndpointUntilBaseEjectionTimePasses()
    {
        var inner = new StubEndpoints { Statuses = { [Bad] = HttpStatusCode.InternalServerError } };
        var time = new FakeTimeProvider();
        await using ServiceProvider provider = Provider(inner, time, 4, o =>
        {
            o.Policy = LoadBalancingPolicies.RoundRobin;
            o.OutlierDetection = new OutlierDetectionOptions { MaxEjectionPercent = 50 };
        });
        HttpClient http = provider.GetRequiredService<IHttpClientFactory>().CreateClient("svc");

        await SendAsync(http, 40);
        inner.Count(Bad).Should().Be(5, "the fifth 500 in a row ejects it at once");
        Detector(provider).EjectedCount.Should().Be(1);

        time.Advance(TimeSpan.FromSeconds(29));
        await SendAsync(http, 20);
        inner.Count(Bad).Should().Be(5, "30 s is the base ejection time");

        time.Advance(TimeSpan.FromSeconds(1));
        await SendAsync(http, 8);
        inner.Count(Bad).Should().Be(7, "back in the rotation of four once its time is up");
    }

    [Theory]
    [InlineData(LoadBalancingPolicies.LeastRequest)]
    [InlineData(LoadBalancingPolicies.RoundRobin)]
    [InlineData(LoadBalancingPolicies.Random)]
    [InlineData(LoadBalancingPolicies.RingHash)]
    [InlineData(LoadBalancingPolicies.Maglev)]
    public async Task SendAsync_EndpointEjected_EveryPolicySkipsIt(string policy)
    {
        var inner = new StubEndpoints { Statuses = { [Bad] = HttpStatusCode.BadGateway } };
        await using ServiceProvider provider = Provider(inner, new FakeTimeProvider(), 4, o =>
        {
            o.Policy = policy;
            o.HashHeader = "x-key";
            o.OutlierDetection = new OutlierDetectionOptions { MaxEjectionPercent = 50 };
        });
        HttpClient http = provider.GetRequiredService<IHttpClientFactory>().CreateClient("svc");

        int sent = 0;
        do
        {
            await SendAsync(http, 1, key: sent++);
        }
        while (sent < 1000 && Detector(provider).EjectedCount == 0);

        Detector(provider).EjectedCount.Should().Be(1);
        int before = inner.Count(Bad);
        await SendAsync(http, 200, key: 0);
        await SendAsync(http, 200, key: 1);

        inner.Count(Bad).Should().Be(before, "an ejected endpoint gets no traffic");
        inner.Total.Should().BeGreaterThan(400);
    }

    [Fact]
    public async Task SendAsync_TooFewHealthy_PanicSpreadsOverAllEndpoints()
    {
        var inner = new StubEndpoints();
        foreach (string host in new[] { "10.0.0.1", "10.0.0.2", "10.0.0.3" })
        {
            inner.Statuses[host] = HttpStatusCode.ServiceUnavailable;
        }

        await using ServiceProvider provider = Provider(inner, new FakeTimeProvider(), 4, o =>
        {
            o.Policy = LoadBalancingPolicies.RoundRobin;
            o.OutlierDetection = new OutlierDetectionOptions { MaxEjectionPercent = 100 };
        });
        HttpClient http = provider.GetRequiredService<IHttpClientFactory>().CreateClient("svc");

        await SendAsync(http, 20);
        Detector(provider).EjectedCount.Should().Be(3, "each of the three failing endpoints had five 503s in a row");
        int before = inner.Count("10.0.0.1");
        await SendAsync(http, 40);

        inner.Count("10.0.0.1").Should().BeGreaterThan(before, "1 healthy of 4 is below the 50 % panic threshold: all endpoints take traffic");
    }

    [Theory]
    [InlineData(50, true)]
    [InlineData(0, false)]
    public async Task SendAsync_SplitSubsetAllEjected_PanicKeepsItInUseOrTheAttemptFails(int panicThreshold, bool served)
    {
        var inner = new StubEndpoints { Statuses = { [Bad] = HttpStatusCode.ServiceUnavailable } };
        await using ServiceProvider provider = Provider(inner, new FakeTimeProvider(), 4, o =>
        {
            o.OutlierDetection = new OutlierDetectionOptions { MaxEjectionPercent = 50, HealthyPanicThreshold = panicThreshold };
            o.Split.Subsets["canary"] = new TrafficSubsetOptions { Addresses = { "http://10.0.0.1:80" } };
            o.Split.Destinations.Add(new TrafficDestinationOptions { Subset = "canary", Weight = 1 });
        });
        HttpClient http = provider.GetRequiredService<IHttpClientFactory>().CreateClient("svc");
        await SendAsync(http, 5);
        Detector(provider).EjectedCount.Should().Be(1, "five 503s in a row eject the canary's only endpoint");

        Func<Task> send = () => SendAsync(http, 3);

        if (served)
        {
            await send.Should().NotThrowAsync("below the panic threshold within the subset, its ejected endpoints are used");
            inner.Count(Bad).Should().Be(8);
        }
        else
        {
            (await send.Should().ThrowAsync<HttpRequestException>()).Which.Message.Should().Contain("no available endpoint");
            inner.Count(Bad).Should().Be(5, "with panic off the ejected endpoint gets nothing, and the split does not spill to the other subset");
        }
    }

    [Fact]
    public async Task SendAsync_CallerCancels_NotCountedAgainstTheEndpoint()
    {
        var inner = new StubEndpoints { Statuses = { [Bad] = HttpStatusCode.ServiceUnavailable }, Hang = true };
        await using ServiceProvider provider = Provider(inner, new FakeTimeProvider(), 1, o =>
            o.OutlierDetection = new OutlierDetectionOptions { AlwaysEjectOneHost = true, HealthyPanicThreshold = 0 });
        HttpClient http = provider.GetRequiredService<IHttpClientFactory>().CreateClient("svc");
        inner.Hang = false;
        await SendAsync(http, 4);
        inner.Hang = true;

        for (int i = 0; i < 10; i++)
        {
            using var cancel = new CancellationTokenSource();
            Task<HttpResponseMessage> sending = http.GetAsync(new Uri("http://svc/x"), cancel.Token);
            await inner.Entered.Reader.ReadAsync();
            await cancel.CancelAsync();
            Func<Task> call = () => sending;
            await call.Should().ThrowAsync<OperationCanceledException>();
        }

        Detector(provider).EjectedCount.Should().Be(0, "cancellations neither count nor break the run of four 503s");
        inner.Hang = false;
        await SendAsync(http, 1);
        Detector(provider).EjectedCount.Should().Be(1, "the fifth 503 in a row");
    }

    [Theory]
    [InlineData(true, 2, 2)]
    [InlineData(false, 3, 1)]
    public async Task SendAsync_RetriedThroughResilientClient_GoesToAnUntriedEndpoint(bool ignorePreviousHosts, int attempts, int endpoints)
    {
        var inner = new StubEndpoints();
        await using ServiceProvider provider = Provider(inner, new FakeTimeProvider(), 3, o =>
        {
            o.Policy = LoadBalancingPolicies.RingHash;
            o.HashHeader = "x-key";
            o.RetryIgnorePreviousHosts = ignorePreviousHosts;
            o.RetryBudget = new RetryBudgetOptions();
        }, resilient: true);
        HttpClient http = provider.GetRequiredService<IHttpClientFactory>().CreateClient("svc");
        await SendAsync(http, 1, key: 7);
        string home = inner.Order.Single();
        inner.Statuses[home] = HttpStatusCode.ServiceUnavailable;
        inner.Order.Clear();

        using HttpResponseMessage response = await http.SendAsync(Request(7));

        inner.Order.Should().HaveCount(attempts).And.Subject.Distinct().Should().HaveCount(endpoints);
        inner.Order[0].Should().Be(home, "the key's endpoint first");
        response.StatusCode.Should().Be(ignorePreviousHosts ? HttpStatusCode.OK : HttpStatusCode.ServiceUnavailable);
        RetryBudget budget = Service(provider).Budget!;
        (budget.ActiveRequests, budget.ActiveRetries).Should().Be((0L, 0L), "every attempt gave its place back");
    }

    [Fact]
    public async Task SendAsync_BudgetRefusesTheRetry_ThrowsTheRejectionWithoutRetryingIt()
    {
        var inner = new StubEndpoints { Statuses = { [Bad] = HttpStatusCode.ServiceUnavailable } };
        await using ServiceProvider provider = Provider(inner, new FakeTimeProvider(), 1, o =>
            o.RetryBudget = new RetryBudgetOptions { BudgetPercent = 0, MinRetryConcurrency = 0 }, resilient: true);
        HttpClient http = provider.GetRequiredService<IHttpClientFactory>().CreateClient("svc");

        Func<Task> call = () => http.SendAsync(Request(0));

        (await call.Should().ThrowAsync<RetryBudgetExhaustedException>()).Which.ServiceName.Should().Be("http://svc");
        inner.Total.Should().Be(1, "the refused retry is not sent, and the resilient client's retry does not retry a rejection");
        Service(provider).Budget!.ActiveRequests.Should().Be(0);
    }

    private static async Task SendAsync(HttpClient http, int count, int key = 0)
    {
        for (int i = 0; i < count; i++)
        {
            using HttpResponseMessage response = await http.SendAsync(Request(key));
        }
    }

    private static HttpRequestMessage Request(int key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri("http://svc/x"));
        request.Headers.Add("x-key", key.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return request;
    }

    private static ServiceEndpoints Service(ServiceProvider provider)
    {
        provider.GetRequiredService<EndpointStateRegistry>().TryGet("http://svc", out ServiceEndpoints? service).Should().BeTrue();
        return service!;
    }

    private static OutlierDetector Detector(ServiceProvider provider) => Service(provider).Detector!;

    private static ServiceProvider Provider(HttpMessageHandler inner, FakeTimeProvider time, int endpoints, Action<EndpointRoutingOptions> configure, bool resilient = false)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(TestEndpoints.Settings(0, endpoints)).Build());
        services.AddSingleton<TimeProvider>(time);
        IHttpClientBuilder client = resilient
            ? services.AddResilientHttpClient("svc", o => o.Retry!.WaitDuration = TimeSpan.Zero)
            : services.AddHttpClient("svc");
        client.ConfigurePrimaryHttpMessageHandler(() => inner).AddEndpointRouting(configure);
        return services.BuildServiceProvider();
    }

    /// <summary>Answers as each endpoint (by host) is told to, 200 by default, counting the attempts; with <see cref="Hang"/>, waits for the caller's cancellation.</summary>
    private sealed class StubEndpoints : HttpMessageHandler
    {
        private readonly ConcurrentDictionary<string, int> _counts = new();

        public ConcurrentDictionary<string, HttpStatusCode> Statuses { get; } = new();

        public List<string> Order { get; } = [];

        public bool Hang { get; set; }

        public System.Threading.Channels.Channel<bool> Entered { get; } = System.Threading.Channels.Channel.CreateUnbounded<bool>();

        public int Total => _counts.Values.Sum();

        public int Count(string host) => _counts.GetValueOrDefault(host);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            string host = request.RequestUri!.Host;
            if (Hang)
            {
                Entered.Writer.TryWrite(true);
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            _counts.AddOrUpdate(host, 1, static (_, n) => n + 1);
            lock (Order)
            {
                Order.Add(host);
            }

            return new HttpResponseMessage(Statuses.GetValueOrDefault(host, HttpStatusCode.OK)) { RequestMessage = request };
        }
    }
}
