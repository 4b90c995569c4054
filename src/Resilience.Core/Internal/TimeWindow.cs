using System.Diagnostics;
using System.Numerics;

namespace Resilience.Internal;

/// <summary>A time-based window: the outcomes recorded in the current second and the N − 1 seconds before it.</summary>
/// <remarks>
/// <para>
/// <b>Counting.</b> Each outcome kind (fast success, fast failure, slow success, slow failure) has a cumulative
/// counter that only grows. The counters are striped by processor, one cache line pair per stripe, so recorders on
/// different cores never write the same line. Recording is one <see cref="Interlocked.Increment(ref long)"/> on the
/// caller's stripe. The four kinds are disjoint, so totals derived from them (total = all four, failed = both
/// failures, slow = both slow kinds) satisfy the window invariants by construction, whatever the order of reads.
/// </para>
/// <para>
/// <b>Sliding.</b> A ring of N base entries holds, for each of the last N seconds, the cumulative counts at the
/// moment the window first moved into that second. The window's counts are the cumulative counts now minus the base
/// of the oldest second in the window. The first recorder or reader to observe a new second wins a compare-and-swap
/// on the current second and writes the base entries of the seconds it moved through (at most N). Entries are
/// versioned: a writer makes the version odd while it writes, and a reader retries a read that saw an odd or changed
/// version. A second in which nothing was recorded gets the same base as the next one, which is exact. The new second
/// is published only after its bases are written, and a recorder that sees an unpublished second waits for it (once
/// per second, for a few stores), so every outcome is attributed to the second in which it was recorded.
/// </para>
/// <para>
/// <b>Cost.</b> A fast success costs one increment on the caller's stripe, plus a snapshot at most once per second
/// while the window has not yet reached its minimum number of calls. A failure or a slow call costs a snapshot:
/// 4 × stripes reads plus one entry read. Nothing is allocated after construction.
/// </para>
/// <para>Invariants, asserted in debug builds: cumulative counts are never below a base; bases are written in
/// increasing second order for each slot; snapshots are consistent.</para>
/// </remarks>
internal sealed class TimeWindow : SlidingWindow
{
    /// <summary>The longest window, in seconds.</summary>
    public const int MaxSize = 3_600;

    private const int Kinds = 4;
    private const int StripeStride = 16; // 16 longs = 128 bytes: a stripe never shares a line, nor its prefetch pair.

    private readonly long _unitsPerSecond;
    private readonly long[] _cells;
    private readonly int _stripeMask;
    private readonly BaseEntry[] _bases;
    private PaddedLong _currentSecond;
    private PaddedLong _publishedSecond;
    private PaddedLong _minimumReachedSecond;

    public TimeWindow(int sizeInSeconds, int minimumNumberOfCalls, long unitsPerSecond, long now)
        : base(minimumNumberOfCalls)
    {
        Debug.Assert(sizeInSeconds is >= 1 and <= MaxSize, "The window size is validated by the options.");
        Debug.Assert(unitsPerSecond > 0, "A clock ticks forward.");
        _unitsPerSecond = unitsPerSecond;
        int stripes = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(Environment.ProcessorCount, 1, 64));
        _stripeMask = stripes - 1;
        _cells = new long[(stripes + 1) * StripeStride];
        _bases = new BaseEntry[sizeInSeconds];
        long second = SecondOf(now, unitsPerSecond);
        for (int i = 0; i < sizeInSeconds; i++)
        {
            long s = second - i;
            _bases[SlotOf(s)].Second = s;
        }

        _currentSecond.Value = second;
        _publishedSecond.Value = second;
        _minimumReachedSecond.Value = long.MinValue;
    }

    public override bool Record(CallOutcome outcome, long now)
    {
        Debug.Assert(outcome != CallOutcome.None, "Only real outcomes are recorded.");
        long second = SecondOf(now, _unitsPerSecond);
        bool slid = second > Volatile.Read(ref _publishedSecond.Value) && SlideTo(second);
        int stripe = Thread.GetCurrentProcessorId() & _stripeMask;
        Interlocked.Increment(ref _cells[((stripe + 1) * StripeStride) + (int)outcome - 1]);

        // A fast success lowers both rates; it matters only after a slide or while the minimum is not yet reached.
        return outcome != CallOutcome.Success || slid || Volatile.Read(ref _minimumReachedSecond.Value) != second;
    }

    public override WindowCounts GetCounts(long now) => Read(now, out _);

    /// <summary>
    /// Reads a snapshot for a threshold evaluation and, when the minimum number of calls is reached, remembers the
    /// second: until the window slides again, a fast success cannot raise a rate and needs no evaluation. Only
    /// evaluations set the mark, so a slide made by a metrics reader still makes the next record evaluate.
    /// </summary>
    public override WindowCounts GetCountsForEvaluation(long now)
    {
        WindowCounts counts = Read(now, out long current);
        if (counts.Total >= EffectiveMinimumCalls && current == Volatile.Read(ref _publishedSecond.Value))
        {
            Volatile.Write(ref _minimumReachedSecond.Value, current);
        }

        return counts;
    }

    private WindowCounts Read(long now, out long current)
    {
        long second = SecondOf(now, _unitsPerSecond);
        if (second > Volatile.Read(ref _publishedSecond.Value))
        {
            SlideTo(second);
        }

        SpinWait spinner = default;
        while (true)
        {
            current = Volatile.Read(ref _publishedSecond.Value);
            long oldest = current - _bases.Length + 1;
            if (!TryReadBase(oldest, out Counts4 baseCounts))
            {
                // The entry is being written by the thread that slid into this era: it is a few stores away.
                spinner.SpinOnce(sleep1Threshold: -1);
                continue;
            }

            Counts4 cumulative = ReadCumulative();
            WindowCounts counts = Counts4.Subtract(cumulative, baseCounts);
            Debug.Assert(counts.IsConsistent, "Cumulative counts never fall below a base read earlier.");
            return counts;
        }
    }

    /// <summary>Floor division: a custom clock may give negative timestamps, and every second must be one second long.</summary>
    private static long SecondOf(long now, long unitsPerSecond)
    {
        long second = now / unitsPerSecond;
        return now % unitsPerSecond < 0 ? second - 1 : second;
    }

    private int SlotOf(long second)
    {
        long slot = second % _bases.Length;
        return (int)(slot < 0 ? slot + _bases.Length : slot);
    }

    /// <summary>
    /// Makes the window cover <paramref name="second"/> before the caller records or reads in it. One caller wins
    /// the slide and writes the base entries; the others wait until the winner publishes the second, a few stores
    /// later. Without that wait, an outcome counted before the winner read the cumulative counts would belong to the
    /// previous second and leave the window a second early. Slides are serialized: a slide starts only once the
    /// previous one is published.
    /// </summary>
    /// <returns><see langword="true"/> for the caller that performed the slide.</returns>
    private bool SlideTo(long second)
    {
        SpinWait spinner = default;
        while (Volatile.Read(ref _publishedSecond.Value) < second)
        {
            long current = Volatile.Read(ref _currentSecond.Value);
            if (current < second
                && current == Volatile.Read(ref _publishedSecond.Value)
                && Interlocked.CompareExchange(ref _currentSecond.Value, second, current) == current)
            {
                Counts4 cumulative = ReadCumulative();
                for (long s = Math.Max(current + 1, second - _bases.Length + 1); s <= second; s++)
                {
                    WriteBase(s, cumulative);
                }

                Debug.Assert(Volatile.Read(ref _publishedSecond.Value) == current, "Slides are serialized.");
                Volatile.Write(ref _publishedSecond.Value, second);
                return true;
            }

            spinner.SpinOnce(sleep1Threshold: -1);
        }

        return false;
    }

    private void WriteBase(long second, in Counts4 counts)
    {
        ref BaseEntry entry = ref _bases[SlotOf(second)];
        SpinWait spinner = default;
        while (true)
        {
            int version = Volatile.Read(ref entry.Version);
            if ((version & 1) == 0 && Interlocked.CompareExchange(ref entry.Version, version + 1, version) == version)
            {
                break;
            }

            // Slides are serialized, so only a reader's retry could see this; it is a few stores away.
            spinner.SpinOnce(sleep1Threshold: -1);
        }

        if (entry.Second < second)
        {
            entry.Counts = counts;
            entry.Second = second;
        }

        Interlocked.Increment(ref entry.Version);
    }

    private bool TryReadBase(long second, out Counts4 counts)
    {
        ref BaseEntry entry = ref _bases[SlotOf(second)];
        int before = Volatile.Read(ref entry.Version);
        long entrySecond = Volatile.Read(ref entry.Second);
        counts = entry.Counts;
        Interlocked.MemoryBarrier();
        int after = Volatile.Read(ref entry.Version);
        return (before & 1) == 0 && before == after && entrySecond == second;
    }

    private Counts4 ReadCumulative()
    {
        long fastSuccess = 0, fastFailure = 0, slowSuccess = 0, slowFailure = 0;
        long[] cells = _cells;
        for (int offset = StripeStride; offset < cells.Length; offset += StripeStride)
        {
            fastSuccess += Volatile.Read(ref cells[offset + (int)CallOutcome.Success - 1]);
            fastFailure += Volatile.Read(ref cells[offset + (int)CallOutcome.Failure - 1]);
            slowSuccess += Volatile.Read(ref cells[offset + (int)CallOutcome.SlowSuccess - 1]);
            slowFailure += Volatile.Read(ref cells[offset + (int)CallOutcome.SlowFailure - 1]);
        }

        return new Counts4(fastSuccess, fastFailure, slowSuccess, slowFailure);
    }

    private struct BaseEntry
    {
        public int Version;
        public long Second;
        public Counts4 Counts;
    }

    private readonly record struct Counts4(long FastSuccess, long FastFailure, long SlowSuccess, long SlowFailure)
    {
        public static WindowCounts Subtract(in Counts4 now, in Counts4 then)
        {
            long fastSuccess = now.FastSuccess - then.FastSuccess;
            long fastFailure = now.FastFailure - then.FastFailure;
            long slowSuccess = now.SlowSuccess - then.SlowSuccess;
            long slowFailure = now.SlowFailure - then.SlowFailure;
            return new WindowCounts(
                fastSuccess + fastFailure + slowSuccess + slowFailure,
                fastFailure + slowFailure,
                slowSuccess + slowFailure,
                slowFailure);
        }
    }
}
