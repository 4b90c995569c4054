using System.Collections.Concurrent;
using Resilience.Http.Telemetry;

namespace Resilience.Http.Internal;

/// <summary>
/// The singleton that owns every breaker, retry, limiter and bulkhead of the HTTP clients, keyed by client name,
/// kind and instance name. Handlers come and go with <c>IHttpClientFactory</c>'s rotation; the state stays here.
/// </summary>
internal sealed class HttpResilienceRegistry : IDisposable
{
    private readonly ConcurrentDictionary<string, RegisteredSlot> _slots = new(StringComparer.OrdinalIgnoreCase);

    public HttpResilienceRegistry(TimeProvider? timeProvider, HttpResilienceTelemetry telemetry)
    {
        TimeProvider = timeProvider ?? TimeProvider.System;
        Telemetry = telemetry;
    }

    /// <summary>Gets the source of time of every primitive.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Gets the telemetry hooks.</summary>
    public HttpResilienceTelemetry Telemetry { get; }

    /// <summary>Gets every slot created so far, for gauges and health checks.</summary>
    public IEnumerable<RegisteredSlot> Slots => _slots.Values;

    /// <summary>
    /// Gets the slot of (<paramref name="clientName"/>, <paramref name="kind"/>, <paramref name="instanceName"/>) in one
    /// registration, creating it once. The registration key keeps the standard composition's breaker apart from a
    /// breaker added on its own to the same client under the same instance name: they read different options.
    /// </summary>
    public (TSlot Slot, TelemetrySource Source) GetOrAdd<TSlot>(string clientName, string registrationKey, string kind, string instanceName, Func<TelemetrySource, TSlot> create)
        where TSlot : class, IDisposable
    {
        string key = $"{kind}\u001f{clientName}\u001f{registrationKey}\u001f{instanceName}";
        if (_slots.TryGetValue(key, out RegisteredSlot? existing))
        {
            return ((TSlot)existing.Slot, existing.Source);
        }

        lock (_slots)
        {
            if (_slots.TryGetValue(key, out existing))
            {
                return ((TSlot)existing.Slot, existing.Source);
            }

            var source = new TelemetrySource(clientName, instanceName, kind);
            var slot = new RegisteredSlot(source, create(source));
            _slots[key] = slot;
            return ((TSlot)slot.Slot, source);
        }
    }

    public void Dispose()
    {
        foreach (RegisteredSlot slot in _slots.Values)
        {
            slot.Slot.Dispose();
        }

        _slots.Clear();
    }
}

/// <summary>A slot with the client and instance it belongs to.</summary>
internal sealed record RegisteredSlot(TelemetrySource Source, IDisposable Slot);
