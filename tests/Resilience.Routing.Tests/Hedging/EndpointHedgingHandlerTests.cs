using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.Time.Testing;
using Resilience.Discovery;
using Resilience.Routing.Internal;

namespace Resilience.Routing.Tests.Hedging;

public sealed class EndpointHedgingHandlerTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _time = new();
    private readonly ScriptedHandler _inner;
    private readonly HedgingTelemetry _telemetry = new();
    private HttpMessageInvoker? _invoker;

    public EndpointHedgingHandlerTests() => _inner = new ScriptedHandler(_time);

    [Fact]
    public async Task SendAsync_PrimaryAnswersBeforeTheDelay_SendsNoHedge()
    {
        Task<HttpResponseMessage> sending = Invoker().SendAsync(Get(), default);
        ScriptedHandler.Call primary = await _inner.NextAsync();
        _time.Advance(TimeSpan.FromSeconds(1.9));
        primary.Answer(HttpStatusCode.OK);

        using HttpResponseMessage response = await sending;
        _time.Advance(TimeSpan.FromSeconds(10));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        _inner.Count.Should().Be(1);
    }

    [Fact]
    public async Task SendAsync_PrimaryPendingPastTheDelay_SendsACopySharingAttemptedEndpoints()
    {
        using HttpRequestMessage request = Get();
        request.Headers.Add("x-trace", "1");
        Task<HttpResponseMessage> sending = Invoker().SendAsync(request, default);
        ScriptedHandler.Call primary = await _inner.NextAsync();
        _time.Advance(TimeSpan.FromSeconds(2));
        ScriptedHandler.Call hedge = await _inner.NextAsync();

        (hedge.At - primary.At).Should().Be(TimeSpan.FromSeconds(2), "the default delay is Polly's 2 s");
        primary.Request.Should().NotBeSameAs(request, "every attempt sends a copy: a cancelled attempt cannot change the caller's request");
        hedge.Request.Should().NotBeSameAs(request);
        hedge.Address.Should().Be(new Uri("http://svc/x"));
        hedge.Request.Headers.GetValues("x-trace").Should().Equal("1");
        AttemptedEndpoints.Find(hedge.Request).Should().NotBeNull().And.BeSameAs(AttemptedEndpoints.Find(request), "the routing handler sends the hedge to an endpoint not tried yet");
        hedge.Answer(HttpStatusCode.OK);
        (await sending).Dispose();
        primary.Answer(HttpStatusCode.OK);
    }

    [Fact]
    public async Task SendAsync_HedgeWins_CancelsThePrimaryAndDisposesItsLateResponse()
    {
        using HttpRequestMessage request = Get();
        Task<HttpResponseMessage> sending = Invoker().SendAsync(request, default);
        ScriptedHandler.Call primary = await _inner.NextAsync();
        _time.Advance(TimeSpan.FromSeconds(2));
        ScriptedHandler.Call hedge = await _inner.NextAsync();
        DiscoveredEndpoint endpoint = TestEndpoints.Endpoints(2)[1];
        hedge.Request.Options.Set(EndpointRoutingOptions.EndpointKey, endpoint);
        TrackedResponse won = hedge.Answer(HttpStatusCode.OK);

        using HttpResponseMessage response = await sending;

        response.Should().BeSameAs(won);
        response.RequestMessage.Should().BeSameAs(request, "the caller sees its own request");
        request.Options.TryGetValue(EndpointRoutingOptions.EndpointKey, out DiscoveredEndpoint? chosen).Should().BeTrue();
        chosen.Should().BeSameAs(endpoint);
        primary.Token.IsCancellationRequested.Should().BeTrue();
        TrackedResponse late = primary.Answer(HttpStatusCode.OK);
        await late.Disposed.Task.WaitAsync(Wait);
        won.Disposed.Task.IsCompleted.Should().BeFalse();
    }

    [Fact]
    public async Task SendAsync_PrimaryWinsAfterTheHedgeStarted_CancelsTheHedgeAndDisposesItsLateResponse()
    {
        using HttpRequestMessage request = Get();
        Task<HttpResponseMessage> sending = Invoker().SendAsync(request, default);
        ScriptedHandler.Call primary = await _inner.NextAsync();
        _time.Advance(TimeSpan.FromSeconds(2));
        ScriptedHandler.Call hedge = await _inner.NextAsync();
        TrackedResponse won = primary.Answer(HttpStatusCode.OK);

        using HttpResponseMessage response = await sending;

        response.Should().BeSameAs(won);
        hedge.Token.IsCancellationRequested.Should().BeTrue();
        TrackedResponse late = hedge.Answer(HttpStatusCode.OK);
        await late.Disposed.Task.WaitAsync(Wait);
    }

    [Fact]
    public async Task SendAsync_PrimaryFailsWhileTheHedgeIsPending_WaitsForTheHedge()
    {
        Task<HttpResponseMessage> sending = Invoker().SendAsync(Get(), default);
        ScriptedHandler.Call primary = await _inner.NextAsync();
        _time.Advance(TimeSpan.FromSeconds(2));
        ScriptedHandler.Call hedge = await _inner.NextAsync();
        TrackedResponse failure = primary.Answer(HttpStatusCode.ServiceUnavailable);
        sending.IsCompleted.Should().BeFalse();

        hedge.Answer(HttpStatusCode.OK);
        using HttpResponseMessage response = await sending;

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        await failure.Disposed.Task.WaitAsync(Wait);
    }

    [Fact]
    public async Task SendAsync_PrimaryFailsBeforeTheDelay_HedgesAtOnce()
    {
        Task<HttpResponseMessage> sending = Invoker().SendAsync(Get(), default);
        ScriptedHandler.Call primary = await _inner.NextAsync();
        TrackedResponse failure = primary.Answer(HttpStatusCode.BadGateway);
        ScriptedHandler.Call hedge = await _inner.NextAsync();
        hedge.Answer(HttpStatusCode.OK);

        using HttpResponseMessage response = await sending;

        hedge.At.Should().Be(primary.At);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        await failure.Disposed.Task.WaitAsync(Wait);
    }

    [Fact]
    public async Task SendAsync_EveryAttemptAnswersAFailure_ReturnsTheLastAndDisposesTheOthers()
    {
        using HttpRequestMessage request = Get();
        Task<HttpResponseMessage> sending = Invoker().SendAsync(request, default);
        TrackedResponse first = (await _inner.NextAsync()).Answer(HttpStatusCode.ServiceUnavailable);
        TrackedResponse last = (await _inner.NextAsync()).Answer(HttpStatusCode.TooManyRequests);

        using HttpResponseMessage response = await sending;

        response.Should().BeSameAs(last);
        response.RequestMessage.Should().BeSameAs(request);
        await first.Disposed.Task.WaitAsync(Wait);
    }

    [Fact]
    public async Task SendAsync_EveryAttemptThrows_ThrowsTheLast()
    {
        Task<HttpResponseMessage> sending = Invoker().SendAsync(Get(), default);
        (await _inner.NextAsync()).Fail(new HttpRequestException("primary"));
        (await _inner.NextAsync()).Fail(new HttpRequestException("hedge"));

        Func<Task> send = () => sending;

        await send.Should().ThrowAsync<HttpRequestException>().WithMessage("hedge");
    }

    [Fact]
    public async Task SendAsync_HedgeRefusedByTheRetryBudget_ReturnsThePrimary()
    {
        Task<HttpResponseMessage> sending = Invoker().SendAsync(Get(), default);
        ScriptedHandler.Call primary = await _inner.NextAsync();
        _time.Advance(TimeSpan.FromSeconds(2));
        (await _inner.NextAsync()).Fail(new RetryBudgetExhaustedException("http://svc"));
        TrackedResponse won = primary.Answer(HttpStatusCode.OK);

        using HttpResponseMessage response = await sending;

        response.Should().BeSameAs(won);
        _inner.Count.Should().Be(2);
    }

    [Fact]
    public async Task SendAsync_CallerCancels_CancelsEveryAttemptAndDisposesLateResponses()
    {
        using var cancellation = new CancellationTokenSource();
        Task<HttpResponseMessage> sending = Invoker().SendAsync(Get(), cancellation.Token);
        ScriptedHandler.Call primary = await _inner.NextAsync();
        _time.Advance(TimeSpan.FromSeconds(2));
        ScriptedHandler.Call hedge = await _inner.NextAsync();

        await cancellation.CancelAsync();
        Func<Task> send = () => sending;

        await send.Should().ThrowAsync<OperationCanceledException>();
        primary.Token.IsCancellationRequested.Should().BeTrue();
        hedge.Token.IsCancellationRequested.Should().BeTrue();
        await Task.WhenAll(primary.Answer(HttpStatusCode.OK).Disposed.Task, hedge.Answer(HttpStatusCode.OK).Disposed.Task).WaitAsync(Wait);
    }

    [Theory]
    [InlineData("POST", "text")]
    [InlineData("PATCH", null)]
    [InlineData("PUT", "stream")]
    public async Task SendAsync_NotIdempotentOrNotReplayable_IsNeverHedged(string method, string? content)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), "http://svc/x")
        {
            Content = content switch
            {
                "text" => new StringContent("body"),
                "stream" => new StreamContent(new MemoryStream([1, 2, 3])),
                _ => null,
            },
        };
        Task<HttpResponseMessage> sending = Invoker().SendAsync(request, default);
        ScriptedHandler.Call primary = await _inner.NextAsync();
        _time.Advance(TimeSpan.FromSeconds(10));
        primary.Answer(HttpStatusCode.OK);

        (await sending).Dispose();

        primary.Request.Should().BeSameAs(request);
        _inner.Count.Should().Be(1);
    }

    [Fact]
    public async Task SendAsync_PutWithStringContent_HedgesWithTheSameBodyAndKeepsTheOriginalContent()
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, "http://svc/x") { Content = new StringContent("body", System.Text.Encoding.UTF8, "text/plain") };
        Task<HttpResponseMessage> sending = Invoker().SendAsync(request, default);
        ScriptedHandler.Call primary = await _inner.NextAsync();
        _time.Advance(TimeSpan.FromSeconds(2));
        ScriptedHandler.Call hedge = await _inner.NextAsync();

        (await hedge.Request.Content!.ReadAsStringAsync()).Should().Be("body");
        hedge.Request.Content.Headers.ContentType!.MediaType.Should().Be("text/plain");
        hedge.Request.Content.Headers.ContentLength.Should().Be(4);
        primary.Answer(HttpStatusCode.OK);
        (await sending).Dispose();
        await hedge.Answer(HttpStatusCode.OK).Disposed.Task.WaitAsync(Wait);

        (await request.Content.ReadAsStringAsync()).Should().Be("body", "disposing the hedge's copy leaves the caller's content alone");
    }

    [Fact]
    public async Task SendAsync_DelayPercentile_HedgesAtThePercentileOfRecordedLatencies()
    {
        HttpMessageInvoker invoker = Invoker(o => o.DelayPercentile = 95);
        for (int i = 0; i < HedgingConstants.MinLatencySamples; i++)
        {
            Task<HttpResponseMessage> answered = invoker.SendAsync(Get(), default);
            ScriptedHandler.Call call = await _inner.NextAsync();
            _time.Advance(TimeSpan.FromMilliseconds(30));
            call.Answer(HttpStatusCode.OK);
            (await answered).Dispose();
        }

        Task<HttpResponseMessage> sending = invoker.SendAsync(Get(), default);
        ScriptedHandler.Call primary = await _inner.NextAsync();
        _time.Advance(TimeSpan.FromMilliseconds(30));
        ScriptedHandler.Call hedge = await _inner.NextAsync();

        (hedge.At - primary.At).Should().Be(TimeSpan.FromMilliseconds(30), "before 20 latencies the 2 s Delay applied; now their 95th percentile does");
        _inner.Count.Should().Be(HedgingConstants.MinLatencySamples + 2);
        hedge.Answer(HttpStatusCode.OK);
        (await sending).Dispose();
        primary.Answer(HttpStatusCode.OK);
    }

    [Fact]
    public async Task SendAsync_HedgeWins_CountsTheHedgeAndTheWinningAttempt()
    {
        var measurements = new ConcurrentQueue<(string Name, long Value, object? Attempt)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Resilience.Routing" && instrument.Name.StartsWith("resilience.routing.hedging.", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            Dictionary<string, object?> t = tags.ToArray().ToDictionary(static p => p.Key, static p => p.Value);
            if (Equals(t["service"], "http://metrics"))
            {
                measurements.Enqueue((instrument.Name, value, t.GetValueOrDefault("attempt")));
            }
        });
        listener.Start();

        Task<HttpResponseMessage> sending = Invoker().SendAsync(new HttpRequestMessage(HttpMethod.Get, "http://metrics/x"), default);
        ScriptedHandler.Call primary = await _inner.NextAsync();
        _time.Advance(TimeSpan.FromSeconds(2));
        (await _inner.NextAsync()).Answer(HttpStatusCode.OK);
        (await sending).Dispose();
        primary.Answer(HttpStatusCode.OK);

        measurements.Should().BeEquivalentTo(new[] { ("resilience.routing.hedging.attempts", 1L, (object?)null), ("resilience.routing.hedging.wins", 1L, (object?)1) });
    }

    public void Dispose()
    {
        _invoker?.Dispose();
        _telemetry.Dispose();
    }

    private static HttpRequestMessage Get() => new(HttpMethod.Get, "http://svc/x");

    private HttpMessageInvoker Invoker(Action<EndpointHedgingOptions>? configure = null)
    {
        var options = new EndpointHedgingOptions();
        configure?.Invoke(options);
        var settings = new HedgingSettings(options, _time, _telemetry, new ConcurrentDictionary<string, LatencyWindow>(StringComparer.Ordinal));
        _invoker = new HttpMessageInvoker(new EndpointHedgingHandler(settings) { InnerHandler = _inner });
        return _invoker;
    }
}
