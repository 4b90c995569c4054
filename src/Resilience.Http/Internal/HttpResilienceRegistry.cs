using System.Collections.Concurrent;
using Resilience.Http.Telemetry;

namespace Resilience.Http.Internal;

/// <summary>
/// The singleton that owns every breaker, retry, limiter and bulkhead of the HTTP clients, keyed by client name,
/// kind and instance name. Handlers come and go with <c>IHttpClientFactory</c>'s rotation; the state stays here.
/// </summary>
/// <remarks>
/// Every primitive a slot builds is also published in the registry of its kind that <c>AddResilience</c> registers
/// (<see cref="CircuitBreakerRegistry"/> and the others), under its own name, so that any code can find it, read its
/// state, subscribe to its events and force a breaker open or closed. The handlers use that same instance. A slot
/// rebuilt by a reload publishes its new instance with <c>TryReplace</c>, which raises <c>EntryReplaced</c>.
/// </remarks>
internal sealed class HttpResilienceRegistry : IDisposable
{
    private readonly ConcurrentDictionary<string, RegisteredSlot> _slots = new(StringComparer.OrdinalIgnoreCase);

    public HttpResilienceRegistry(TimeProvider? timeProvider, HttpResilienceTelemetry telemetry, PrimitiveRegistries registries)
    {
        TimeProvider = timeProvider ?? TimeProvider.System;
        Telemetry = telemetry;
        Registries = registries;
    }

    /// <summary>Gets the source of time of every primitive.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Gets the telemetry hooks.</summary>
    public HttpResilienceTelemetry Telemetry { get; }

    /// <summary>Gets the registries the primitives are published in.</summary>
    public PrimitiveRegistries Registries { get; }

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

/// <summary>The registries of <c>AddResilience</c> that the HTTP clients publish their primitives in.</summary>
internal sealed record PrimitiveRegistries(
    CircuitBreakerRegistry CircuitBreakers,
    RetryRegistry Retries,
    TimeLimiterRegistry TimeLimiters,
    BulkheadRegistry Bulkheads,
    RequestRateLimiterRegistry RateLimiters)
{
    /// <summary>
    /// Puts <paramref name="instance"/> in <paramref name="registry"/> under <paramref name="name"/>, replacing what is
    /// there (a plain instance created on demand before the client was built, or the one a reload replaces).
    /// </summary>
    public static void Publish<TInstance, TOptions>(ResilienceRegistry<TInstance, TOptions> registry, string name, TInstance instance)
        where TInstance : class
        where TOptions : class
    {
        while (!(registry.TryGet(name, out TInstance? current) && ReferenceEquals(current, instance))
            && !registry.TryReplace(name, instance, out _)
            && !registry.TryAdd(name, instance))
        {
            // Removed and re-added between the two calls: try again.
        }
    }

    /// <summary>Removes <paramref name="instance"/> from <paramref name="registry"/>, if it is still the one under <paramref name="name"/>.</summary>
    public static void Withdraw<TInstance, TOptions>(ResilienceRegistry<TInstance, TOptions> registry, string name, TInstance instance)
        where TInstance : class
        where TOptions : class
    {
        if (registry.TryGet(name, out TInstance? current) && ReferenceEquals(current, instance))
        {
            registry.TryRemove(name, out _);
        }
    }
}
