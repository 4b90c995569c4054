using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace CascadeDemo;

/// <summary>
/// Records the ejections and returns of outlier detection from the <c>Resilience.Routing</c> meter (its public
/// telemetry: <c>resilience.routing.ejections</c> and <c>resilience.routing.ejection_returns</c>, tagged with the
/// endpoint), for every client in this process; <see cref="Intervals"/> keeps those of one chain's instances and
/// tells the clients apart by their meter (each service has its own, from its own <see cref="IMeterFactory"/>).
/// </summary>
internal sealed class EjectionMonitor : IDisposable
{
    private const string MeterName = "Resilience.Routing";
    private const string Ejections = "resilience.routing.ejections";
    private const string Returns = "resilience.routing.ejection_returns";

    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<EjectionEvent> _events = new();

    /// <summary>Starts listening.</summary>
    public EjectionMonitor()
    {
        _listener.InstrumentPublished = static (instrument, listener) =>
        {
            if (instrument.Meter.Name == MeterName && instrument.Name is Ejections or Returns)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) =>
        {
            string? endpoint = null, reason = null;
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                switch (tag.Key)
                {
                    case "endpoint": endpoint = tag.Value as string; break;
                    case "reason": reason = tag.Value as string; break;
                }
            }

            if (endpoint is not null)
            {
                _events.Enqueue(new EjectionEvent(TimeProvider.System.GetTimestamp(), instrument.Meter, endpoint, instrument.Name == Ejections, reason ?? ""));
            }
        });
        _listener.Start();
    }

    /// <summary>
    /// The ejection intervals of the instances <paramref name="counters"/> count, in seconds since <paramref name="start"/>
    /// (a <see cref="TimeProvider.System"/> timestamp); an ejection without return lasts until <paramref name="endSeconds"/>.
    /// <paramref name="clients"/> names the client of each service's <c>Resilience.Routing</c> meter.
    /// </summary>
    public IReadOnlyList<EjectionInterval> Intervals(IReadOnlyList<TrafficCounter> counters, IReadOnlyDictionary<Meter, string> clients, long start, double endSeconds)
    {
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (TrafficCounter counter in counters)
        {
            names[counter.Address] = counter.Name;
        }

        var open = new Dictionary<(string Client, string Name), (double Start, string Reason)>();
        var intervals = new List<EjectionInterval>();
        foreach (EjectionEvent e in _events.OrderBy(e => e.Timestamp))
        {
            if (!names.TryGetValue(e.Endpoint.TrimEnd('/'), out string? name))
            {
                continue; // another chain's or another test's client
            }

            string client = clients.TryGetValue(e.Meter, out string? known) ? known : "";
            double at = Math.Max(0, TimeProvider.System.GetElapsedTime(start, e.Timestamp).TotalSeconds); // before the run: at its start
            if (e.Ejected)
            {
                open.TryAdd((client, name), (at, e.Reason));
            }
            else if (open.Remove((client, name), out (double Start, string Reason) ejected))
            {
                intervals.Add(new EjectionInterval(name, ejected.Start, Math.Max(ejected.Start, at), ejected.Reason, client));
            }
        }

        foreach (((string client, string name), (double Start, string Reason) ejected) in open)
        {
            intervals.Add(new EjectionInterval(name, ejected.Start, Math.Max(ejected.Start, endSeconds), ejected.Reason, client));
        }

        return [.. intervals.OrderBy(i => i.StartSeconds)];
    }

    /// <inheritdoc/>
    public void Dispose() => _listener.Dispose();

    private sealed record EjectionEvent(long Timestamp, Meter Meter, string Endpoint, bool Ejected, string Reason);
}
