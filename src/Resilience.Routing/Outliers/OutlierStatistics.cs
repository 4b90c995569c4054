using System.Diagnostics;

namespace Resilience.Routing.Internal;

/// <summary>
/// The outlier detector's state of one endpoint: consecutive-failure counters, the request counts of the current and
/// the last interval, and the ejection state. Created by <see cref="OutlierDetector.Track"/> and kept by the caller
/// while the endpoint is in the set.
/// </summary>
/// <remarks>
/// <para><b>Threads.</b> Recording (<see cref="OutlierDetector.Record"/>) and <see cref="OutlierDetector.IsEjected"/>
/// are lock-free: counters change with <see cref="Interlocked"/>. The request counts of an interval live in one
/// 64-bit word (requests in the high half, failures in the low half) so the sweep takes both atomically with one
/// exchange, and failures never exceed requests.</para>
/// <para><b>Ejection state</b> (<see cref="State"/>): <see cref="Healthy"/> → <see cref="Ejecting"/> (claimed by one
/// ejector, the only writer of the ejection fields) → <see cref="Ejected"/> or back to <see cref="Healthy"/>;
/// <see cref="Ejected"/> → <see cref="Healthy"/> once the clock passes <see cref="EjectedUntil"/> (by whichever of
/// the sweep or a reader wins the compare-exchange); any state → <see cref="Removed"/> when the endpoint is forgotten.
/// Exactly one transition into <see cref="Ejected"/> and one out of it move the detector's ejected count.</para>
/// </remarks>
internal sealed class OutlierStatistics
{
    public const int Healthy = 0;
    public const int Ejecting = 1;
    public const int Ejected = 2;
    public const int Removed = 3;

    private const long OneRequest = 1L << 32;
    private const long FailureMask = 0xFFFF_FFFFL;

    private int _state;
    private int _consecutive5xx;
    private int _consecutiveGatewayFailure;
    private long _interval;
    private int _backoff;
    private long _ejectedUntil;
    private long _lastReturn = -1;

    public OutlierStatistics(string key) => Key = key;

    /// <summary>Gets the endpoint's key, as the caller tracked it (for example <c>10.0.0.5:8080</c>).</summary>
    public string Key { get; }

    /// <summary>Gets the ejection state: <see cref="Healthy"/>, <see cref="Ejecting"/>, <see cref="Ejected"/> or <see cref="Removed"/>.</summary>
    public int State => Volatile.Read(ref _state);

    /// <summary>Gets the detector time (ticks since its start) at which the current ejection ends.</summary>
    public long EjectedUntil => Volatile.Read(ref _ejectedUntil);

    /// <summary>Gets the multiplier of the base ejection time for the next ejection, minus one: it grows by one per ejection and decays by one per healthy interval.</summary>
    public int Backoff => Volatile.Read(ref _backoff);

    /// <summary>Gets how many times in all the endpoint has been ejected.</summary>
    public int EjectionCount { get; private set; }

    /// <summary>Gets the detector time of the last return to service, or -1 if the endpoint was never ejected.</summary>
    public long LastReturn => Volatile.Read(ref _lastReturn);

    /// <summary>Gets the requests of the last complete interval (taken by the last sweep).</summary>
    public long LastIntervalRequests { get; private set; }

    /// <summary>Gets the failures (5xx and local-origin) of the last complete interval.</summary>
    public long LastIntervalFailures { get; private set; }

    public bool TryClaim(int from) => Interlocked.CompareExchange(ref _state, Ejecting, from) == from;

    public bool TryRelease(int to) => Interlocked.CompareExchange(ref _state, to, Ejecting) == Ejecting;

    public bool TryReturn() => Interlocked.CompareExchange(ref _state, Healthy, Ejected) == Ejected;

    public int Remove() => Interlocked.Exchange(ref _state, Removed);

    public void CountSuccess()
    {
        Interlocked.Add(ref _interval, OneRequest);
        if (Volatile.Read(ref _consecutive5xx) != 0)
        {
            Volatile.Write(ref _consecutive5xx, 0);
        }

        if (Volatile.Read(ref _consecutiveGatewayFailure) != 0)
        {
            Volatile.Write(ref _consecutiveGatewayFailure, 0);
        }
    }

    /// <summary>Counts a 5xx: returns the consecutive-5xx count after it, and the consecutive gateway-failure count (0 when this is not a gateway failure).</summary>
    public (int Consecutive5xx, int ConsecutiveGateway) CountFailure(bool gateway)
    {
        Interlocked.Add(ref _interval, OneRequest + 1);
        int gatewayCount;
        if (gateway)
        {
            gatewayCount = Interlocked.Increment(ref _consecutiveGatewayFailure);
        }
        else
        {
            Volatile.Write(ref _consecutiveGatewayFailure, 0);
            gatewayCount = 0;
        }

        return (Interlocked.Increment(ref _consecutive5xx), gatewayCount);
    }

    public void ResetConsecutive5xx() => Volatile.Write(ref _consecutive5xx, 0);

    public void ResetConsecutiveGatewayFailure() => Volatile.Write(ref _consecutiveGatewayFailure, 0);

    /// <summary>
    /// Called by the ejector holding <see cref="Ejecting"/>: raises the multiplier while
    /// <c>multiplier × base &lt; max + base</c> (Envoy's rule, so the time reaches the cap and stops one step past it)
    /// and returns the ejection time, <c>min(base × multiplier, max)</c>, in ticks.
    /// </summary>
    public long BeginEjection(long baseTicks, long maxTicks)
    {
        Debug.Assert(State is Ejecting or Removed, "Only the claiming ejector writes the ejection fields.");
        int backoff = Volatile.Read(ref _backoff);
        if (backoff * baseTicks < maxTicks + baseTicks)
        {
            backoff = Interlocked.Increment(ref _backoff);
        }

        EjectionCount++;
        Debug.Assert(backoff >= 1, "An ejection lasts at least the base time.");
        return Math.Min(baseTicks * backoff, maxTicks);
    }

    public void SetEjectedUntil(long until) => Volatile.Write(ref _ejectedUntil, until);

    public void MarkReturned(long now)
    {
        Volatile.Write(ref _lastReturn, now);
        ResetConsecutive5xx();
        ResetConsecutiveGatewayFailure();
    }

    /// <summary>Lowers the multiplier by one if above 0 (the sweep's decay of a healthy endpoint).</summary>
    public void Decay()
    {
        int current = Volatile.Read(ref _backoff);
        while (current > 0)
        {
            int seen = Interlocked.CompareExchange(ref _backoff, current - 1, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    /// <summary>Called by the sweep: ends the current interval's counts and keeps them as the last interval's.</summary>
    public void RollInterval()
    {
        long packed = Interlocked.Exchange(ref _interval, 0);
        LastIntervalRequests = (long)((ulong)packed >> 32);
        LastIntervalFailures = packed & FailureMask;
        Debug.Assert(LastIntervalFailures <= LastIntervalRequests, "Failures are counted with their request in one atomic add.");
    }
}
