namespace Resilience.Routing.Internal;

/// <summary>
/// The latencies of the last <see cref="HedgingConstants.LatencySamples"/> attempts to one service, in a ring written
/// without a lock, and the hedging delay they give: their nearest-rank percentile.
/// </summary>
/// <remarks>Writers race only on slots, each a single <see cref="long"/>; a reader may see a slot of the previous lap,
/// which is still a recent latency. The percentile is computed again every <see cref="HedgingConstants.PercentileRefresh"/>
/// new latencies, on the stack.</remarks>
internal sealed class LatencyWindow
{
    private const int Mask = HedgingConstants.LatencySamples - 1;
    private readonly long[] _ticks = new long[HedgingConstants.LatencySamples];
    private long _count;
    private long _computedAt = -1;
    private long _computedTicks;

    /// <summary>Gets how many latencies were recorded.</summary>
    public long Count => Volatile.Read(ref _count);

    /// <summary>Records the latency of an attempt that got a response.</summary>
    public void Record(TimeSpan latency)
    {
        long index = Interlocked.Increment(ref _count) - 1;
        Volatile.Write(ref _ticks[index & Mask], Math.Max(0, latency.Ticks));
    }

    /// <summary>The <paramref name="percentile"/> of the recorded latencies, or <paramref name="fallback"/> until enough are recorded.</summary>
    public TimeSpan Delay(double percentile, TimeSpan fallback)
    {
        long count = Volatile.Read(ref _count);
        if (count < HedgingConstants.MinLatencySamples)
        {
            return fallback;
        }

        long computedAt = Volatile.Read(ref _computedAt);
        if (computedAt >= 0 && count - computedAt < HedgingConstants.PercentileRefresh)
        {
            return TimeSpan.FromTicks(Volatile.Read(ref _computedTicks));
        }

        int n = (int)Math.Min(count, HedgingConstants.LatencySamples);
        Span<long> sorted = stackalloc long[HedgingConstants.LatencySamples];
        sorted = sorted[..n];
        for (int i = 0; i < n; i++)
        {
            sorted[i] = Volatile.Read(ref _ticks[i]);
        }

        sorted.Sort();
        int rank = (int)Math.Ceiling(percentile / 100 * n);
        long ticks = sorted[Math.Clamp(rank, 1, n) - 1];
        Volatile.Write(ref _computedTicks, ticks);
        Volatile.Write(ref _computedAt, count);
        return TimeSpan.FromTicks(ticks);
    }
}
