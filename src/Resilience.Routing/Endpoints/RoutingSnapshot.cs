using Resilience.Discovery;

namespace Resilience.Routing.Internal;

/// <summary>
/// One version of a service's endpoint set as the policies see it: the endpoints, their weights and their lasting
/// <see cref="EndpointState"/>, index for index, and the policies' tables built for this version.
/// </summary>
/// <remarks>Immutable but for the table slots, which are filled once per policy (and replaced only while slow start
/// ramps a round-robin order); a new version is a new snapshot.</remarks>
internal sealed class RoutingSnapshot
{
    private KeyValuePair<object, object>[] _tables = [];

    public RoutingSnapshot(string serviceName, long version, DiscoveredEndpoint[] endpoints, int[] weights, EndpointState[] states)
    {
        ServiceName = serviceName;
        Version = version;
        Endpoints = endpoints;
        Weights = weights;
        States = states;
        long latest = EndpointJoin.Initial;
        bool equal = true;
        for (int i = 0; i < states.Length; i++)
        {
            latest = Math.Max(latest, states[i].JoinedAt);
            equal &= weights[i] == weights[0];
        }

        LatestJoin = latest;
        HasEqualWeights = equal;
    }

    public string ServiceName { get; }

    public long Version { get; }

    public DiscoveredEndpoint[] Endpoints { get; }

    /// <summary>Gets the configured weights (at least 0).</summary>
    public int[] Weights { get; }

    public EndpointState[] States { get; }

    /// <summary>Gets the latest <see cref="EndpointState.JoinedAt"/>: when slow start's window has passed since, no endpoint is warming.</summary>
    public long LatestJoin { get; }

    public bool HasEqualWeights { get; }

    /// <summary>The table <paramref name="owner"/> keeps for this version, built on first use. Lock-free; allocation-free once built.</summary>
    public T GetTable<T>(object owner, Func<RoutingSnapshot, object, T> build)
        where T : class
    {
        foreach (KeyValuePair<object, object> entry in Volatile.Read(ref _tables))
        {
            if (ReferenceEquals(entry.Key, owner))
            {
                return (T)entry.Value;
            }
        }

        T table = build(this, owner);
        return (T)SetTable(owner, null, table);
    }

    /// <summary>Replaces <paramref name="old"/> by <paramref name="next"/> unless another thread did first; returns the table that stays.</summary>
    public object SetTable(object owner, object? old, object next)
    {
        while (true)
        {
            KeyValuePair<object, object>[] tables = Volatile.Read(ref _tables);
            int index = Array.FindIndex(tables, e => ReferenceEquals(e.Key, owner));
            if (index >= 0 && !ReferenceEquals(tables[index].Value, old))
            {
                return tables[index].Value; // built or replaced by another thread: keep one table per owner
            }

            KeyValuePair<object, object>[] updated = index >= 0 ? (KeyValuePair<object, object>[])tables.Clone() : [.. tables, default];
            updated[index >= 0 ? index : tables.Length] = new(owner, next);
            if (ReferenceEquals(Interlocked.CompareExchange(ref _tables, updated, tables), tables))
            {
                return next;
            }
        }
    }
}
