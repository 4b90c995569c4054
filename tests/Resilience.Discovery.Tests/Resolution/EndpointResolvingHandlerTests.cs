using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Resilience.Discovery.Internal;
using Resilience.Discovery.Tests.Integration;

namespace Resilience.Discovery.Tests.Resolution;

public sealed class EndpointResolvingHandlerTests
{
    [EtcdFact]
    public async Task SendAsync_TwoRegisteredInstances_ServesThemAlternately()
    {
        await using EtcdServer etcd = await EtcdServer.StartAsync();
        await using InventoryInstance a = await InventoryInstance.StartAsync(etcd, "a");
        await using InventoryInstance b = await InventoryInstance.StartAsync(etcd, "b");
        await using var client = new DiscoveryClient(etcd);
        await client.WaitForAsync(set => DiscoveryClient.Has(set, a) && DiscoveryClient.Has(set, b));
        HttpClient http = client.CreateClient();

        var answers = new List<string>();
        for (int i = 0; i < 6; i++)
        {
            answers.Add(await http.GetStringAsync("/who"));
        }

        answers.Should().OnlyContain(name => name == "a" || name == "b");
        answers.Zip(answers.Skip(1)).Should().OnlyContain(pair => pair.First != pair.Second, "round robin alternates between the two instances");
        a.Requests.Should().Be(3);
        b.Requests.Should().Be(3);
    }

    [Fact]
    public async Task SendAsync_ConfiguredInstancesAndA503_RetryResolvesAgainAndReachesTheOtherInstance()
    {
        await using InventoryInstance a = await InventoryInstance.StartAsync(null, "a");
        await using InventoryInstance b = await InventoryInstance.StartAsync(null, "b");
        a.Failing = true;
        await using var client = new DiscoveryClient(null, Configured(a, b));
        HttpClient http = client.CreateClient();

        using HttpResponseMessage response = await http.GetAsync("/fail");

        response.StatusCode.Should().Be(HttpStatusCode.OK, "the retry's second attempt resolved again and went to the other instance");
        (await response.Content.ReadAsStringAsync()).Should().Be("b");
        a.Requests.Should().Be(1);
        b.Requests.Should().Be(1);
        response.RequestMessage!.RequestUri.Should().Be(new Uri("http://inventory/fail"), "the logical address is put back after each attempt");
    }

    [Fact]
    public async Task AddEndpointResolution_CalledBeforeAddResilience_StaysInnermost()
    {
        await using InventoryInstance a = await InventoryInstance.StartAsync(null, "a");
        await using InventoryInstance b = await InventoryInstance.StartAsync(null, "b");
        a.Failing = true;
        await using var client = new DiscoveryClient(null, Configured(a, b), services =>
            services.AddHttpClient(InventoryInstance.Service).AddEndpointResolution().AddResilience());

        using HttpResponseMessage response = await client.CreateClient().GetAsync("/fail");

        response.StatusCode.Should().Be(HttpStatusCode.OK, "the retry sits outside the resolving handler whatever the order of the calls");
        b.Requests.Should().Be(1);
    }

    [Fact]
    public async Task SendAsync_NameNoProviderKnows_PassesThroughUnchanged()
    {
        // As a Kubernetes ClusterIP name (http://inventory.shop.svc.cluster.local) goes to the cluster's DNS and kube-proxy.
        await using InventoryInstance a = await InventoryInstance.StartAsync(null, "a");
        await using var client = new DiscoveryClient(null);
        HttpClient http = client.CreateClient();
        var address = new Uri($"http://localhost:{a.Address.Port}/who");

        string answer = await http.GetStringAsync(address);
        EndpointSet set = await client.Resolver.GetEndpointSetAsync($"http://localhost:{a.Address.Port}");

        answer.Should().Be("a");
        set.Endpoints.Should().ContainSingle().Which.EndPoint.Should().BeOfType<DnsEndPoint>().Which.Host.Should().Be("localhost");
    }

    [Fact]
    public async Task Send_Synchronous_ResolvesLikeSendAsync()
    {
        await using InventoryInstance a = await InventoryInstance.StartAsync(null, "a");
        await using var client = new DiscoveryClient(null, Configured(a));
        HttpClient http = client.CreateClient();

        using HttpResponseMessage response = await Task.Run(() => http.Send(new HttpRequestMessage(HttpMethod.Get, "/who")));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        a.Requests.Should().Be(1);
    }

    [Fact]
    public async Task SendAsync_NoAbsoluteAddress_PassesTheRequestOnUntouched()
    {
        await using var client = new DiscoveryClient(null);
        var inner = new RecordingHandler();
        using var invoker = new HttpMessageInvoker(new EndpointResolvingHandler(client.Resolver) { InnerHandler = inner });

        using HttpResponseMessage none = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, (Uri?)null), CancellationToken.None);
        using HttpResponseMessage relative = invoker.Send(new HttpRequestMessage(HttpMethod.Get, new Uri("/who", UriKind.Relative)), CancellationToken.None);

        inner.Seen.Should().Equal(null, new Uri("/who", UriKind.Relative));
    }

    [Fact]
    public async Task SendAsync_NameResolved_AllocatesNothingPerRequest()
    {
        await using var client = new DiscoveryClient(null, new Dictionary<string, string?>
        {
            ["Services:inventory:http:0"] = "http://10.0.0.1:8080",
            ["Services:inventory:http:1"] = "http://10.0.0.2:8080",
        });
        var inner = new CachedAnswerHandler();
        using var invoker = new HttpMessageInvoker(new EndpointResolvingHandler(client.Resolver) { InnerHandler = inner });
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("http://inventory/stock/7?zone=a"));
        await invoker.SendAsync(request, CancellationToken.None); // resolves the name once
        for (int i = 0; i < 10; i++)
        {
            invoker.SendAsync(request, CancellationToken.None).IsCompletedSuccessfully.Should().BeTrue();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            _ = invoker.SendAsync(request, CancellationToken.None);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        allocated.Should().Be(0, "once the name is resolved, a request reuses the set and the rewritten address of each endpoint");
        inner.Seen.Should().BeEquivalentTo([new Uri("http://10.0.0.1:8080/stock/7?zone=a"), new Uri("http://10.0.0.2:8080/stock/7?zone=a")], "round robin over both endpoints");
        request.RequestUri.Should().Be(new Uri("http://inventory/stock/7?zone=a"), "the logical address is put back");
    }

    /// <summary>Answers with one completed response, and keeps the first two addresses it saw; allocates nothing per request.</summary>
    private sealed class CachedAnswerHandler : HttpMessageHandler
    {
        private readonly Task<HttpResponseMessage> _answer = Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));

        public List<Uri?> Seen { get; } = new(2);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (Seen.Count < 2)
            {
                Seen.Add(request.RequestUri);
            }

            return _answer;
        }
    }

    /// <summary>Answers 200 and records the address of each request.</summary>
    private sealed class RecordingHandler : HttpMessageHandler
    {
        public List<Uri?> Seen { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(Send(request, cancellationToken));

        protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Seen.Add(request.RequestUri);
            return new HttpResponseMessage(HttpStatusCode.OK);
        }
    }

    internal static Dictionary<string, string?> Configured(params InventoryInstance[] instances)
    {
        var settings = new Dictionary<string, string?>();
        for (int i = 0; i < instances.Length; i++)
        {
            settings[$"Services:inventory:http:{i}"] = instances[i].Address.ToString();
        }

        return settings;
    }
}
