using Resilience.Discovery;

namespace Resilience.Routing.Internal;

/// <summary>
/// The endpoints of one service: the current <see cref="RoutingSnapshot"/>, rebuilt when the resolver's set has a new
/// version, carrying over the <see cref="EndpointState"/> of each endpoint that stays and dropping the others; and the
/// service's <see cref="OutlierDetector"/> and <see cref="RetryBudget"/> when a routed client asked for them.
/// </summary>
/// <remarks>
/// <para>Reading the current snapshot takes no lock. A new version is built under the service's lock (versions change
/// rarely), so that the detector tracks each joining endpoint (its statistics hang on
/// <see cref="EndpointState.Outlier"/>) and forgets each leaving one in the order the versions came.</para>
/// <para>The detector's ejections and returns set <see cref="EndpointState.IsEjected"/>, which every policy reads;
/// <see cref="RefreshEjections"/> returns endpoints whose ejection time is up without waiting for the next sweep.</para>
/// </remarks>
internal sealed class ServiceEndpoints(string serviceName) : IDisposable
{
    private readonly Lock _lock = new();
    private RoutingSnapshot? _current;
    private OutlierDetector? _detector;
    private RetryBudget? _budget;

    public string ServiceName { get; } = serviceName;

    /// <summary>Gets the current snapshot, or <see langword="null"/> before the first request.</summary>
    public RoutingSnapshot? Current => Volatile.Read(ref _current);

    /// <summary>Gets the service's outlier detector, or <see langword="null"/> when no client enabled outlier detection.</summary>
    public OutlierDetector? Detector => Volatile.Read(ref _detector);

    /// <summary>Gets the service's retry budget, or <see langword="null"/> when no client set one.</summary>
    public RetryBudget? Budget => Volatile.Read(ref _budget);

    /// <summary>The snapshot of <paramref name="set"/>; allocation-free while its version is the current one.</summary>
    public RoutingSnapshot Update(EndpointSet set, TimeProvider time)
    {
        RoutingSnapshot? known = Volatile.Read(ref _current);
        if (known is not null && set.Version <= known.Version)
        {
            return known; // the same version (the resolver may rebuild a set with the same endpoints), or an older set
        }

        lock (_lock)
        {
            known = _current;
            if (known is not null && set.Version <= known.Version)
            {
                return known;
            }

            RoutingSnapshot next = Build(set, known, known is null ? EndpointJoin.Initial : time.GetTimestamp());
            if (_detector is { } detector && known is not null)
            {
                var stays = new HashSet<EndpointState>(next.States, ReferenceEqualityComparer.Instance);
                foreach (EndpointState left in known.States)
                {
                    if (!stays.Contains(left))
                    {
                        detector.Forget(left.Key);
                    }
                }
            }

            TrackUnsynchronized(next);
            Volatile.Write(ref _current, next);
            return next;
        }
    }

    /// <summary>Sets the service's detector, made by <paramref name="create"/>, unless it has one; tracks the current endpoints.</summary>
    public OutlierDetector EnsureDetector<TState>(Func<TState, OutlierDetector> create, TState state)
    {
        if (Volatile.Read(ref _detector) is { } known)
        {
            return known;
        }

        lock (_lock)
        {
            if (_detector is null)
            {
                OutlierDetector detector = create(state);
                detector.Ejected += (statistics, _) => Sync(statistics);
                detector.Returned += Sync;
                Volatile.Write(ref _detector, detector);
                if (_current is { } current)
                {
                    TrackUnsynchronized(current);
                }
            }

            return _detector;
        }
    }

    /// <summary>Sets the service's retry budget, made by <paramref name="create"/>, unless it has one.</summary>
    public RetryBudget EnsureBudget<TState>(Func<TState, RetryBudget> create, TState state)
    {
        if (Volatile.Read(ref _budget) is { } known)
        {
            return known;
        }

        lock (_lock)
        {
            if (_budget is null)
            {
                Volatile.Write(ref _budget, create(state));
            }

            return _budget;
        }
    }

    /// <summary>
    /// Returns to service the ejected endpoints of <paramref name="snapshot"/> whose time is up, and counts the healthy
    /// ones. Lock-free; call it only when the detector has ejected endpoints.
    /// </summary>
    public static int RefreshEjections(RoutingSnapshot snapshot, OutlierDetector detector)
    {
        int healthy = 0;
        foreach (EndpointState state in snapshot.States)
        {
            if (state.IsEjected && state.Outlier is OutlierStatistics statistics && !detector.IsEjected(statistics))
            {
                state.IsEjected = false;
            }

            healthy += state.IsEjected ? 0 : 1;
        }

        return healthy;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _detector?.Dispose();
        }
    }

    private void TrackUnsynchronized(RoutingSnapshot snapshot)
    {
        if (_detector is not { } detector)
        {
            return;
        }

        foreach (EndpointState state in snapshot.States)
        {
            if (state.Outlier is null)
            {
                OutlierStatistics statistics = detector.Track(state.Key);
                state.Outlier = statistics;
                state.IsEjected = statistics.State == OutlierStatistics.Ejected;
            }
        }
    }

    /// <summary>Reflects an ejection or a return on the endpoint's state, reading the statistics' state rather than trusting the event's order.</summary>
    private void Sync(OutlierStatistics statistics)
    {
        if (Current is not { } snapshot)
        {
            return;
        }

        foreach (EndpointState state in snapshot.States)
        {
            if (ReferenceEquals(state.Outlier, statistics))
            {
                state.IsEjected = statistics.State == OutlierStatistics.Ejected;
                return;
            }
        }
    }

    private RoutingSnapshot Build(EndpointSet set, RoutingSnapshot? known, long now)
    {
        Dictionary<string, EndpointState>? byKey = known?.States.ToDictionary(static s => s.Key, StringComparer.Ordinal);
        IReadOnlyList<DiscoveredEndpoint> endpoints = set.Endpoints;
        var copy = new DiscoveredEndpoint[endpoints.Count];
        var weights = new int[endpoints.Count];
        var states = new EndpointState[endpoints.Count];
        for (int i = 0; i < copy.Length; i++)
        {
            DiscoveredEndpoint endpoint = endpoints[i];
            string key = endpoint.ToString();
            copy[i] = endpoint;
            weights[i] = Math.Max(0, endpoint.Weight);
            states[i] = byKey is not null && byKey.TryGetValue(key, out EndpointState? state) ? state : new EndpointState(key, now);
        }

        return new RoutingSnapshot(ServiceName, set.Version, copy, weights, states);
    }
}
