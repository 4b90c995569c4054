using System.Diagnostics;

namespace Resilience.Routing.Internal;

/// <summary>
/// Envoy's outlier detection for one destination service: consecutive-5xx and consecutive-gateway-failure detectors
/// that eject inline on the Nth failure in a row, success-rate and failure-percentage detectors that run at each
/// <see cref="OutlierDetectionOptions.Interval"/>, ejection for <c>base × multiplier</c> capped at the maximum, the
/// multiplier's decay, <see cref="OutlierDetectionOptions.MaxEjectionPercent"/> and the panic threshold.
/// </summary>
/// <remarks>
/// <para><b>Use.</b> The routing handler calls <see cref="Track"/> for each endpoint that joins the set and keeps the
/// returned <see cref="OutlierStatistics"/> with the endpoint; <see cref="Forget"/> when it leaves. For each attempt
/// it calls <see cref="Record"/> with the outcome, and it picks among <see cref="SelectCandidates{T}"/>, which drops
/// ejected endpoints unless too few are left (panic).</para>
/// <para><b>Threads.</b> <see cref="Record"/> and <see cref="IsEjected"/> take no lock and allocate nothing; an
/// inline ejection reserves its place under the cap with a compare-exchange loop on the ejected count, so concurrent
/// ejections never exceed it. <see cref="Track"/>, <see cref="Forget"/> and the sweep take the detector's lock (they
/// run when the set changes and once per interval).</para>
/// <para><b>Invariants.</b> The ejected count equals the number of tracked endpoints in
/// <see cref="OutlierStatistics.Ejected"/> state, plus those an ejector holds in <see cref="OutlierStatistics.Ejecting"/>
/// after reserving its place; it never exceeds the cap, except for one endpoint under
/// <see cref="OutlierDetectionOptions.AlwaysEjectOneHost"/>.</para>
/// <para><b>Returns.</b> An ejected endpoint returns when the clock passes its end time: <see cref="IsEjected"/>
/// checks the clock itself, so a return is not delayed until the next sweep.</para>
/// <para><b>Enforcement.</b> Each detector's enforcement percentage is rolled with the injected <see cref="Random"/>
/// (<see cref="Random.Shared"/> by default, which is thread-safe); 0 and 100 never roll.</para>
/// <para><b>Lifetime.</b> The sweep timer holds the detector: its owner (the per-service registry) disposes it when
/// the service is no longer routed to.</para>
/// </remarks>
internal sealed partial class OutlierDetector : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, OutlierStatistics> _endpoints = new(StringComparer.Ordinal);
    private readonly string _service;
    private readonly OutlierDetectionOptions _options;
    private readonly TimeProvider _time;
    private readonly long _origin;
    private readonly OutlierTelemetry _telemetry;
    private readonly Random _random;
    private readonly long _intervalTicks;
    private readonly long _baseTicks;
    private readonly long _maxTicks;
    private readonly ITimer _timer;
    private int _hostCount;
    private int _ejectedCount;

    public OutlierDetector(string service, OutlierDetectionOptions options, TimeProvider time, OutlierTelemetry telemetry, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _service = service;
        _options = options;
        _time = time;
        _telemetry = telemetry;
        _random = random ?? Random.Shared;
        _origin = time.GetTimestamp();
        _intervalTicks = options.Interval.Ticks;
        _baseTicks = options.BaseEjectionTime.Ticks;
        _maxTicks = (options.MaxEjectionTime ?? (options.BaseEjectionTime > OutlierDetectionConstants.DefaultMaxEjectionTime ? options.BaseEjectionTime : OutlierDetectionConstants.DefaultMaxEjectionTime)).Ticks;
        Debug.Assert(_intervalTicks > 0 && _baseTicks > 0 && _maxTicks >= _baseTicks, "Options are validated before a detector is made.");
        _timer = time.CreateTimer(static state => ((OutlierDetector)state!).Sweep(), this, options.Interval, options.Interval);
    }

    /// <summary>Occurs when an endpoint is ejected, with the reason; raised on the thread that ejected it.</summary>
    public event Action<OutlierStatistics, EjectionReason>? Ejected;

    /// <summary>Occurs when an ejected endpoint returns to service.</summary>
    public event Action<OutlierStatistics>? Returned;

    /// <summary>Gets how many endpoints are ejected now.</summary>
    public int EjectedCount => Volatile.Read(ref _ejectedCount);

    /// <summary>Gets how many endpoints are tracked.</summary>
    public int EndpointCount => Volatile.Read(ref _hostCount);

    private long Now => _time.GetElapsedTime(_origin).Ticks;

    /// <summary>Starts tracking an endpoint (or returns its statistics if it is already tracked).</summary>
    public OutlierStatistics Track(string endpointKey)
    {
        ArgumentNullException.ThrowIfNull(endpointKey);
        lock (_lock)
        {
            if (!_endpoints.TryGetValue(endpointKey, out OutlierStatistics? statistics))
            {
                statistics = new OutlierStatistics(endpointKey);
                _endpoints.Add(endpointKey, statistics);
                Volatile.Write(ref _hostCount, _endpoints.Count);
            }

            return statistics;
        }
    }

    /// <summary>Stops tracking an endpoint that left the set; if it was ejected, it no longer counts against the cap.</summary>
    public void Forget(string endpointKey)
    {
        lock (_lock)
        {
            if (_endpoints.Remove(endpointKey, out OutlierStatistics? statistics))
            {
                Volatile.Write(ref _hostCount, _endpoints.Count);
                if (statistics.Remove() == OutlierStatistics.Ejected)
                {
                    Interlocked.Decrement(ref _ejectedCount);
                }
            }
        }
    }

    /// <summary>Counts the outcome of one attempt against an endpoint, ejecting it inline when a consecutive detector fires.</summary>
    public void Record(OutlierStatistics statistics, EndpointOutcome outcome)
    {
        int consecutive5xx;
        int consecutiveGateway;
        switch (outcome)
        {
            case EndpointOutcome.Success:
                statistics.CountSuccess();
                return;
            case EndpointOutcome.ServerError:
                (consecutive5xx, consecutiveGateway) = statistics.CountFailure(gateway: false);
                break;
            case EndpointOutcome.GatewayFailure:
            case EndpointOutcome.LocalOriginFailure:
                (consecutive5xx, consecutiveGateway) = statistics.CountFailure(gateway: true);
                break;
            default:
                return;
        }

        // As Envoy: the gateway detector first, then the 5xx one; an ejected endpoint is not ejected again, and its
        // counters are reset when it returns.
        if (consecutiveGateway == _options.ConsecutiveGatewayFailure && statistics.State != OutlierStatistics.Ejected)
        {
            statistics.ResetConsecutiveGatewayFailure();
            TryEject(statistics, EjectionReason.ConsecutiveGatewayFailure, _options.EnforcingConsecutiveGatewayFailure);
        }

        if (consecutive5xx == _options.Consecutive5xx && statistics.State != OutlierStatistics.Ejected)
        {
            statistics.ResetConsecutive5xx();
            TryEject(statistics, EjectionReason.Consecutive5xx, _options.EnforcingConsecutive5xx);
        }
    }

    /// <summary>Tells whether an endpoint is ejected now; returns it to service if its time is up.</summary>
    public bool IsEjected(OutlierStatistics statistics)
    {
        if (statistics.State != OutlierStatistics.Ejected)
        {
            return false;
        }

        long now = Now;
        if (now < statistics.EjectedUntil)
        {
            return true;
        }

        ReturnToService(statistics, now);
        return false;
    }

    /// <summary>Tells whether the balancer is in panic: fewer than <see cref="OutlierDetectionOptions.HealthyPanicThreshold"/> percent of the endpoints are healthy.</summary>
    public bool InPanic(int healthyCount, int totalCount) => IsPanic(healthyCount, totalCount, _options.HealthyPanicThreshold);

    /// <summary>
    /// Envoy's panic rule: <c>100 × healthy / total &lt; threshold</c> (an empty set is in panic); a threshold of 0
    /// never panics. Computed in integers, so exact.
    /// </summary>
    public static bool IsPanic(int healthyCount, int totalCount, int thresholdPercent) =>
        thresholdPercent > 0 && (totalCount == 0 || 100L * healthyCount < (long)thresholdPercent * totalCount);

    /// <summary>
    /// Writes the endpoints a pick may choose from into <paramref name="destination"/> (at least as long as
    /// <paramref name="endpoints"/>): those not ejected or, in panic, all of them. Allocates nothing.
    /// </summary>
    /// <returns>How many endpoints were written.</returns>
    public int SelectCandidates<T>(ReadOnlySpan<T> endpoints, Func<T, OutlierStatistics> statistics, Span<T> destination, out bool panic)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        if (destination.Length < endpoints.Length)
        {
            throw new ArgumentException("The destination is shorter than the endpoints.", nameof(destination));
        }

        int healthy = 0;
        foreach (T endpoint in endpoints)
        {
            if (!IsEjected(statistics(endpoint)))
            {
                destination[healthy++] = endpoint;
            }
        }

        panic = InPanic(healthy, endpoints.Length);
        if (!panic)
        {
            return healthy;
        }

        endpoints.CopyTo(destination);
        return endpoints.Length;
    }

    public void Dispose() => _timer.Dispose();

    private bool TryEject(OutlierStatistics statistics, EjectionReason reason, int enforcingPercent)
    {
        if (!statistics.TryClaim(OutlierStatistics.Healthy))
        {
            return false;
        }

        if (!TryReserveEjection(out int ejected, out int endpoints))
        {
            statistics.TryRelease(OutlierStatistics.Healthy);
            _telemetry.Overflow(_service, statistics.Key, reason, ejected, endpoints);
            return false;
        }

        if (!Enforced(enforcingPercent))
        {
            Interlocked.Decrement(ref _ejectedCount);
            statistics.TryRelease(OutlierStatistics.Healthy);
            _telemetry.NotEnforced(_service, statistics.Key, reason);
            return false;
        }

        long duration = statistics.BeginEjection(_baseTicks, _maxTicks);
        statistics.SetEjectedUntil(Now + duration);
        if (!statistics.TryRelease(OutlierStatistics.Ejected))
        {
            // Forgotten meanwhile: the endpoint left the set, and so does its place under the cap.
            Interlocked.Decrement(ref _ejectedCount);
            return false;
        }

        Debug.Assert(Volatile.Read(ref _ejectedCount) >= 1, "An ejected endpoint holds a place in the ejected count.");
        _telemetry.Ejected(_service, statistics.Key, reason, TimeSpan.FromTicks(duration), statistics.EjectionCount);
        Ejected?.Invoke(statistics, reason);
        return true;
    }

    /// <summary>Takes a place in the ejected count if <c>100 × (ejected + 1) ≤ MaxEjectionPercent × endpoints</c> (Envoy's rule in exact integers), or if none is ejected and <see cref="OutlierDetectionOptions.AlwaysEjectOneHost"/> is set.</summary>
    private bool TryReserveEjection(out int ejected, out int endpoints)
    {
        endpoints = Volatile.Read(ref _hostCount);
        ejected = Volatile.Read(ref _ejectedCount);
        while (true)
        {
            bool allowed = 100L * (ejected + 1) <= (long)_options.MaxEjectionPercent * endpoints || (_options.AlwaysEjectOneHost && ejected == 0);
            if (!allowed)
            {
                return false;
            }

            int seen = Interlocked.CompareExchange(ref _ejectedCount, ejected + 1, ejected);
            if (seen == ejected)
            {
                return true;
            }

            ejected = seen;
        }
    }

    private bool Enforced(int percent) => percent >= 100 || (percent > 0 && _random.Next(100) < percent);

    private void ReturnToService(OutlierStatistics statistics, long now)
    {
        if (!statistics.TryReturn())
        {
            return;
        }

        statistics.MarkReturned(now);
        int left = Interlocked.Decrement(ref _ejectedCount);
        Debug.Assert(left >= 0, "The ejected count never goes below zero.");
        _telemetry.Returned(_service, statistics.Key);
        Returned?.Invoke(statistics);
    }
}
