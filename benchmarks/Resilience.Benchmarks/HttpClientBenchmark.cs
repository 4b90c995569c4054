using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Resilience.Http.Internal;
using Resilience.Http.Telemetry;

namespace Resilience.Benchmarks;

/// <summary>
/// One successful GET through an <see cref="HttpClient"/> from <c>IHttpClientFactory</c>, bare and behind the
/// resilience handlers: our standard composition (<c>AddResilientHttpClient</c>) against Microsoft's
/// (<c>AddStandardResilienceHandler</c>), and a lone circuit breaker of each. The innermost handler answers in memory
/// and synchronously, so the numbers are the cost of the pipeline and not of a network.
/// </summary>
/// <remarks>
/// <para>Every client is built by one service provider and created once, in the setup; the factory's handler
/// lifetime (2 minutes) does not matter within a run. Every variant allocates the same response per call.</para>
/// <para>Our standard composition sets <see cref="HttpClient.Timeout"/> to infinite (its total time limiter owns the
/// timeout), so <see cref="HttpClient"/> skips its own linked, timed cancellation source; the other variants keep the
/// default 100 s timeout and pay for that source on every call. <see cref="BareNoTimeout"/> is the bare client with an
/// infinite timeout too: the baseline that shows what the standard composition itself adds, and
/// <see cref="StandardMicrosoftNoTimeout"/> is <c>AddStandardResilienceHandler</c> on such a client, so that both standard
/// compositions can also be compared with the timer cost of <see cref="HttpClient.Timeout"/> taken out.</para>
/// <para><see cref="StandardOursWithListener"/> is our standard composition while a <see cref="MeterListener"/> and
/// an <see cref="ActivityListener"/> listen to everything named "Resilience", with callbacks that do nothing: the cost
/// of telemetry that someone collects.</para>
/// </remarks>
[MemoryDiagnoser]
public class HttpClientBenchmark
{
    /// <summary>The name of our meter and activity source.</summary>
    private const string TelemetryName = "Resilience";

    /// <summary>The request address, as a string: every variant parses it into a new <see cref="Uri"/>, as callers usually do.</summary>
    private const string Address = "http://localhost/x";

    private ServiceProvider _services = null!;
    private HttpClient _bare = null!;
    private HttpClient _bareNoTimeout = null!;
    private HttpClient _standardOurs = null!;
    private HttpClient _standardMicrosoft = null!;
    private HttpClient _standardMicrosoftNoTimeout = null!;
    private HttpClient _breakerOurs = null!;
    private HttpClient _breakerMicrosoft = null!;
    private MeterListener? _meterListener;
    private ActivityListener? _activityListener;

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        services.AddHttpClient("bare").ConfigurePrimaryHttpMessageHandler(static () => new InMemoryHandler());
        services.AddHttpClient("bare-no-timeout", static c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(static () => new InMemoryHandler());
        services.AddResilientHttpClient("ours").ConfigurePrimaryHttpMessageHandler(static () => new InMemoryHandler());
        services.AddHttpClient("ms").ConfigurePrimaryHttpMessageHandler(static () => new InMemoryHandler()).AddStandardResilienceHandler();
        services.AddHttpClient("ms-no-timeout", static c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(static () => new InMemoryHandler()).AddStandardResilienceHandler();
        services.AddHttpClient("cb").AddCircuitBreaker("cb").ConfigurePrimaryHttpMessageHandler(static () => new InMemoryHandler());
        services.AddHttpClient("mscb").ConfigurePrimaryHttpMessageHandler(static () => new InMemoryHandler())
            .AddResilienceHandler("cb", static b => b.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions()));
        _services = services.BuildServiceProvider();

        IHttpClientFactory factory = _services.GetRequiredService<IHttpClientFactory>();
        _bare = factory.CreateClient("bare");
        _bareNoTimeout = factory.CreateClient("bare-no-timeout");
        _standardOurs = factory.CreateClient("ours");
        _standardMicrosoft = factory.CreateClient("ms");
        _standardMicrosoftNoTimeout = factory.CreateClient("ms-no-timeout");
        _breakerOurs = factory.CreateClient("cb");
        _breakerMicrosoft = factory.CreateClient("mscb");

        // Warm every pipeline (lazy slots, breaker windows, pooled scopes) and check that each call succeeds.
        for (int i = 0; i < 200; i++)
        {
            foreach (HttpClient client in (HttpClient[])[_bare, _bareNoTimeout, _standardOurs, _standardMicrosoft, _standardMicrosoftNoTimeout, _breakerOurs, _breakerMicrosoft])
            {
                using HttpResponseMessage response = client.GetAsync(Address).GetAwaiter().GetResult();
                Workload.Expect(response.StatusCode == HttpStatusCode.OK, "every client should return the in-memory 200");
            }
        }

        // Our handlers are in the pipelines: the standard composition built its four layers, the lone breaker one.
        var kinds = _services.GetRequiredService<HttpResilienceRegistry>().Slots
            .Select(static s => $"{s.Source.ClientName}:{s.Source.Kind}:{s.Source.InstanceName}")
            .Order(StringComparer.Ordinal)
            .ToList();
        string expected = string.Join(", ", (string[])[
            $"cb:{ResilienceKinds.CircuitBreaker}:cb",
            $"ours:{ResilienceKinds.CircuitBreaker}:ours",
            $"ours:{ResilienceKinds.Retry}:ours",
            $"ours:{ResilienceKinds.TimeLimiter}:ours",
            $"ours:{ResilienceKinds.TimeLimiter}:ours-total"]);
        Workload.Expect(string.Join(", ", kinds) == expected, $"registry should hold [{expected}], holds [{string.Join(", ", kinds)}]");
    }

    [GlobalSetup(Target = nameof(StandardOursWithListener))]
    public void SetupWithListener()
    {
        Setup();
        _meterListener = new MeterListener
        {
            InstrumentPublished = static (instrument, listener) =>
            {
                if (instrument.Meter.Name == TelemetryName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _meterListener.SetMeasurementEventCallback<long>(static (_, _, _, _) => { });
        _meterListener.SetMeasurementEventCallback<int>(static (_, _, _, _) => { });
        _meterListener.SetMeasurementEventCallback<double>(static (_, _, _, _) => { });
        _meterListener.Start();

        // Sampled and recorded, as under an always-on tracer, so that activities are really created.
        _activityListener = new ActivityListener
        {
            ShouldListenTo = static source => source.Name == TelemetryName,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStarted = static _ => { },
            ActivityStopped = static _ => { },
        };
        ActivitySource.AddActivityListener(_activityListener);

        using HttpResponseMessage response = _standardOurs.GetAsync(Address).GetAwaiter().GetResult();
        Workload.Expect(response.StatusCode == HttpStatusCode.OK, "the client should still succeed with listeners");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _activityListener?.Dispose();
        _meterListener?.Dispose();
        _services.Dispose();
    }

    [Benchmark(Baseline = true)]
    public async Task Bare()
    {
        using HttpResponseMessage response = await _bare.GetAsync(Address).ConfigureAwait(false);
    }

    [Benchmark]
    public async Task BareNoTimeout()
    {
        using HttpResponseMessage response = await _bareNoTimeout.GetAsync(Address).ConfigureAwait(false);
    }

    [Benchmark]
    public async Task StandardOurs()
    {
        using HttpResponseMessage response = await _standardOurs.GetAsync(Address).ConfigureAwait(false);
    }

    [Benchmark]
    public async Task StandardOursWithListener()
    {
        using HttpResponseMessage response = await _standardOurs.GetAsync(Address).ConfigureAwait(false);
    }

    [Benchmark]
    public async Task StandardMicrosoft()
    {
        using HttpResponseMessage response = await _standardMicrosoft.GetAsync(Address).ConfigureAwait(false);
    }

    [Benchmark]
    public async Task StandardMicrosoftNoTimeout()
    {
        using HttpResponseMessage response = await _standardMicrosoftNoTimeout.GetAsync(Address).ConfigureAwait(false);
    }

    [Benchmark]
    public async Task BreakerOurs()
    {
        using HttpResponseMessage response = await _breakerOurs.GetAsync(Address).ConfigureAwait(false);
    }

    [Benchmark]
    public async Task BreakerMicrosoft()
    {
        using HttpResponseMessage response = await _breakerMicrosoft.GetAsync(Address).ConfigureAwait(false);
    }

    /// <summary>The innermost handler: a new 200 response, completed synchronously, without a network.</summary>
    private sealed class InMemoryHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));

        protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
            new(HttpStatusCode.OK);
    }
}
