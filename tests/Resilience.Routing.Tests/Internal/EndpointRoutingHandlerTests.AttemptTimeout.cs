using System.Collections.Concurrent;
using System.Net;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Resilience.Routing.Tests.Internal;

/// <summary>The per-attempt limit (Istio's <c>perTryTimeout</c>) on a fake clock, with one endpoint that never answers.</summary>
public sealed partial class EndpointRoutingHandlerTests
{
    private static readonly TimeSpan AttemptLimit = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task SendAsync_AttemptOutlastsAttemptTimeout_FailsWithTimeoutCountedAgainstTheEndpoint()
    {
        var inner = new SlowHosts { Slow = { Bad } };
        var time = new FakeTimeProvider();
        await using ServiceProvider provider = TimedProvider(inner, time, 1, resilient: false, o => o.OutlierDetection = new OutlierDetectionOptions
        {
            EnforcingConsecutiveGatewayFailure = 100,
            AlwaysEjectOneHost = true,
            HealthyPanicThreshold = 0,
        });
        HttpClient http = provider.GetRequiredService<IHttpClientFactory>().CreateClient("svc");

        for (int i = 0; i < 5; i++)
        {
            Task<HttpResponseMessage> sending = http.GetAsync(new Uri("http://svc/x"));
            await inner.Entered.Reader.ReadAsync();
            time.Advance(AttemptLimit);
            Func<Task> call = () => sending;

            (await call.Should().ThrowAsync<TimeoutException>()).Which.Message.Should().Be(
                "The attempt to http://10.0.0.1 took longer than its AttemptTimeout of 1 s.");
        }

        Detector(provider).EjectedCount.Should().Be(1, "five time-outs in a row are five gateway failures, as five 504s would be");
    }

    [Fact]
    public async Task SendAsync_CallerCancelsBeforeTheLimit_CancelledAndNotCounted()
    {
        var inner = new SlowHosts { Slow = { Bad } };
        var time = new FakeTimeProvider();
        await using ServiceProvider provider = TimedProvider(inner, time, 1, resilient: false, o => o.OutlierDetection = new OutlierDetectionOptions
        {
            Consecutive5xx = 1,
            EnforcingConsecutiveGatewayFailure = 100,
            ConsecutiveGatewayFailure = 1,
            AlwaysEjectOneHost = true,
        });
        HttpClient http = provider.GetRequiredService<IHttpClientFactory>().CreateClient("svc");
        using var cancel = new CancellationTokenSource();

        Task<HttpResponseMessage> sending = http.GetAsync(new Uri("http://svc/x"), cancel.Token);
        await inner.Entered.Reader.ReadAsync();
        await cancel.CancelAsync();
        Func<Task> call = () => sending;

        await call.Should().ThrowAsync<OperationCanceledException>();
        Detector(provider).EjectedCount.Should().Be(0, "the caller's cancellation is not the endpoint's failure, even with a limit");
    }

    [Fact]
    public async Task SendAsync_ThroughResilientClient_SlowEndpointTimesOutAndTheRetryAnswersFromAnother()
    {
        var inner = new SlowHosts { Slow = { Bad } };
        var time = new FakeTimeProvider();
        await using ServiceProvider provider = TimedProvider(inner, time, 2, resilient: true, o => o.Policy = LoadBalancingPolicies.RoundRobin);
        HttpClient http = provider.GetRequiredService<IHttpClientFactory>().CreateClient("svc");

        // One read stays pending across requests: a request that goes straight to the healthy endpoint leaves it
        // waiting, and it is the one that sees the slow endpoint's next start (a second read would wait forever).
        Task<bool> entered = inner.Entered.Reader.ReadAsync().AsTask();
        for (int i = 0; i < 4; i++)
        {
            Task<HttpResponseMessage> sending = http.GetAsync(new Uri("http://svc/x"));
            if (await Task.WhenAny(sending, entered) == entered)
            {
                time.Advance(AttemptLimit);
                entered = inner.Entered.Reader.ReadAsync().AsTask();
            }

            using HttpResponseMessage response = await sending;
            response.StatusCode.Should().Be(HttpStatusCode.OK, "a timed-out attempt is retried on the other endpoint");
        }

        inner.Count("10.0.0.2").Should().Be(4);
        inner.Count(Bad).Should().Be(0, "the slow endpoint never answered");
        inner.Started(Bad).Should().BeGreaterThan(0);
    }

    private static ServiceProvider TimedProvider(SlowHosts inner, FakeTimeProvider time, int endpoints, bool resilient, Action<EndpointRoutingOptions> configure) =>
        Provider(inner, time, endpoints, o =>
        {
            o.AttemptTimeout = AttemptLimit;
            configure(o);
        }, resilient);

    /// <summary>Answers 200 from every host except the slow ones, which wait for their token; counts starts and answers per host.</summary>
    private sealed class SlowHosts : HttpMessageHandler
    {
        private readonly ConcurrentDictionary<string, int> _started = new();
        private readonly ConcurrentDictionary<string, int> _answered = new();

        public HashSet<string> Slow { get; } = [];

        public Channel<bool> Entered { get; } = Channel.CreateUnbounded<bool>();

        public int Started(string host) => _started.GetValueOrDefault(host);

        public int Count(string host) => _answered.GetValueOrDefault(host);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            string host = request.RequestUri!.Host;
            _started.AddOrUpdate(host, 1, static (_, n) => n + 1);
            if (Slow.Contains(host))
            {
                Entered.Writer.TryWrite(true);
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            _answered.AddOrUpdate(host, 1, static (_, n) => n + 1);
            return new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request };
        }
    }
}
