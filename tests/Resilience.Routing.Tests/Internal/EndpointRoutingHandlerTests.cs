using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Resilience.Routing.Tests.Internal;

public sealed partial class EndpointRoutingHandlerTests
{
    [Fact]
    public async Task SendAsync_PoolFullAndNoQueue_RefusesWithARejectionAndReleasesAfterwards()
    {
        var inner = new GateHandler();
        await using ServiceProvider provider = Provider(inner, o =>
        {
            o.Policy = LoadBalancingPolicies.RoundRobin;
            o.MaxRequests = 1;
            o.MaxPendingRequests = 0;
        });
        HttpClient http = provider.GetRequiredService<IHttpClientFactory>().CreateClient("svc");

        Task<HttpResponseMessage> first = http.GetAsync(new Uri("http://svc/a"));
        await inner.Entered.Task;
        Func<Task> second = () => http.GetAsync(new Uri("http://svc/b"));

        await second.Should().ThrowAsync<EndpointPoolFullException>();
        inner.Gate.SetResult();
        (await first).RequestMessage!.RequestUri.Should().Be(new Uri("http://svc/a"));
        inner.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        inner.Gate.SetResult();
        (await http.GetAsync(new Uri("http://svc/c"))).IsSuccessStatusCode.Should().BeTrue("the slot was given back");
        inner.Sent.Should().Equal(new Uri("http://10.0.0.1:80/a"), new Uri("http://10.0.0.1:80/c"));
    }

    [Fact]
    public async Task SendAsync_PoolFullWithAQueue_WaitsForTheSlot()
    {
        var inner = new GateHandler();
        await using ServiceProvider provider = Provider(inner, o => o.MaxRequests = 1);
        HttpClient http = provider.GetRequiredService<IHttpClientFactory>().CreateClient("svc");

        Task<HttpResponseMessage> first = http.GetAsync(new Uri("http://svc/a"));
        await inner.Entered.Task;
        Task<HttpResponseMessage> second = http.GetAsync(new Uri("http://svc/b"));
        second.IsCompleted.Should().BeFalse();
        inner.Sent.Should().HaveCount(1, "the second waits in the queue");

        inner.Gate.SetResult();
        await Task.WhenAll(first, second);

        inner.Sent.Should().HaveCount(2);
    }

    private static ServiceProvider Provider(GateHandler inner, Action<EndpointRoutingOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(TestEndpoints.Settings(0, 1)).Build());
        services.AddHttpClient("svc").ConfigurePrimaryHttpMessageHandler(() => inner).AddEndpointRouting(configure);
        return services.BuildServiceProvider();
    }

    private sealed class GateHandler : HttpMessageHandler
    {
        public TaskCompletionSource Gate { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<Uri> Sent { get; } = [];

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Exception? Failure { get; set; }

        public bool ThrowSynchronously { get; init; }

        public int SentSynchronously { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Record(request);
            if (Failure is { } failure && ThrowSynchronously)
            {
                throw failure;
            }

            return Respond(request, cancellationToken);
        }

        protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Record(request);
            SentSynchronously++;
            if (Failure is { } failure)
            {
                throw failure;
            }

            Gate.Task.Wait(cancellationToken);
            return new HttpResponseMessage(System.Net.HttpStatusCode.OK) { RequestMessage = request };
        }

        private async Task<HttpResponseMessage> Respond(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (Failure is { } failure)
            {
                throw failure;
            }

            await Gate.Task.WaitAsync(cancellationToken);
            return new HttpResponseMessage(System.Net.HttpStatusCode.OK) { RequestMessage = request };
        }

        private void Record(HttpRequestMessage request)
        {
            lock (Sent)
            {
                Sent.Add(request.RequestUri!);
            }

            Entered.TrySetResult();
        }
    }
}
