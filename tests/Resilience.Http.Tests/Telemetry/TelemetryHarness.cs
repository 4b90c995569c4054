using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Resilience.Http.Tests.Telemetry;

/// <summary>
/// A container with a stub primary handler, a fake clock, a capturing logger and a meter listener that hears only this
/// container's Resilience meter, so tests running in parallel do not see each other's measurements.
/// </summary>
internal sealed class TelemetryHarness : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ServiceProvider _provider;

    public TelemetryHarness(Action<IHttpClientBuilder> configureClient, Func<HttpRequestMessage, HttpResponseMessage>? respond = null, Action<IServiceCollection>? configureServices = null)
    {
        Respond = respond ?? (_ => new HttpResponseMessage(HttpStatusCode.OK));
        var services = new ServiceCollection();
        services.AddMetrics();
        services.AddSingleton<TimeProvider>(Time);
        services.AddLogging(b => b.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        IHttpClientBuilder builder = services.AddHttpClient(ClientName, c => c.BaseAddress = new Uri("http://example.test/"))
            .ConfigurePrimaryHttpMessageHandler(() => new StubHandler(this));
        configureClient(builder);
        configureServices?.Invoke(services);
        _provider = services.BuildServiceProvider();

        IMeterFactory factory = _provider.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ResilienceTelemetry.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<float>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    public string ClientName { get; } = "client-" + Guid.NewGuid().ToString("N");

    public FakeTimeProvider Time { get; } = new();

    public CapturingLoggerProvider Logs { get; } = new(ResilienceTelemetry.LoggerCategory, "Resilience.Configuration");

    public Func<HttpRequestMessage, HttpResponseMessage> Respond { get; set; }

    /// <summary>Gets or sets an asynchronous responder used in place of <see cref="Respond"/> when set.</summary>
    public Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>? RespondAsync { get; set; }

    public ConcurrentQueue<MeasurementRecord> Measurements { get; } = new();

    public IServiceProvider Services => _provider;

    public HttpClient CreateClient() => _provider.GetRequiredService<IHttpClientFactory>().CreateClient(ClientName);

    /// <summary>Collects the observable gauges and returns the measurements of <paramref name="name"/> from that collection.</summary>
    public List<MeasurementRecord> Observe(string name)
    {
        while (Measurements.TryDequeue(out _))
        {
        }

        _listener.RecordObservableInstruments();
        return [.. Measurements.Where(m => m.Name == name)];
    }

    public List<MeasurementRecord> Of(string name) => [.. Measurements.Where(m => m.Name == name)];

    public void Dispose()
    {
        _listener.Dispose();
        _provider.Dispose();
    }

    private void Record<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        where T : struct
    {
        var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        Measurements.Enqueue(new MeasurementRecord(instrument.Name, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture), copy));
    }

    private sealed class StubHandler(TelemetryHarness harness) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            harness.RespondAsync?.Invoke(request, cancellationToken) ?? Task.FromResult(harness.Respond(request));

        protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
            harness.Respond(request);
    }
}

/// <summary>One measurement, with a copy of its tags.</summary>
internal sealed record MeasurementRecord(string Name, double Value, IReadOnlyDictionary<string, object?> Tags)
{
    public object? this[string tag] => Tags.TryGetValue(tag, out object? value) ? value : null;
}
