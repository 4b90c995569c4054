using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Resilience.Http.Tests.Telemetry;

/// <summary>
/// Records the <see cref="long"/> measurements of the <c>Resilience</c> meters whose scope is the one given
/// (a container's meter factory), so that tests running in parallel do not see each other's measurements. Shared with
/// the AspNetCore and DependencyInjection tests.
/// </summary>
internal sealed class CounterRecorder : IDisposable
{
    private readonly MeterListener _listener = new();

    public CounterRecorder(object scope)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Resilience" && ReferenceEquals(instrument.Meter.Scope, scope))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                copy[tag.Key] = tag.Value;
            }

            Measurements.Enqueue((instrument.Name, value, copy));
        });
        _listener.Start();
    }

    public ConcurrentQueue<(string Name, long Value, IReadOnlyDictionary<string, object?> Tags)> Measurements { get; } = new();

    public List<(string Name, long Value, IReadOnlyDictionary<string, object?> Tags)> Of(string name) => [.. Measurements.Where(m => m.Name == name)];

    public void Dispose() => _listener.Dispose();
}
