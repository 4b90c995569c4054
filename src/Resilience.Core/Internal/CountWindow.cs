using System.Diagnostics;

namespace Resilience.Internal;

/// <summary>A count-based window: the outcomes of the last N recorded calls.</summary>
/// <remarks>
/// <para>
/// <b>Layout.</b> A ring of N one-byte slots, each holding a <see cref="CallOutcome"/>, a claim sequence, and the
/// window totals packed into one 64-bit word (16 bits each for total, failed, slow and slow-failed calls). Because
/// the totals live in one word, a snapshot is a single atomic read and is always internally consistent.
/// </para>
/// <para>
/// <b>Recording.</b> A recorder claims a sequence number with <see cref="Interlocked.Increment(ref long)"/>; the
/// slot is the sequence modulo N. The total and the three kind fields are kept by two different rules:
/// <list type="bullet">
/// <item>The <i>kind fields</i> (failed, slow, slow-failed) are added before the exchange that publishes the outcome
/// and subtracted after the exchange that displaced it, so none ever goes below the content of the slots; a field is
/// above it by at most one per recorder in flight.</item>
/// <item>The <i>total</i> changes only when an exchange displaces an empty slot, and then by one, after the exchange.
/// Slots never become empty again, so the total is the number of filled slots whose recorder has finished: it never
/// exceeds N, not even for an instant.</item>
/// </list>
/// A snapshot clamps each kind field to the total (and slow-failed to failed and slow), so a reader, a threshold
/// evaluation included, never sees more than N outcomes or a rate above 100 %. Resilience4j guards its window with
/// a lock and never counts more than N; this window gives the same bound without one.
/// </para>
/// <para>
/// <b>Skipping no-ops.</b> Replacing an outcome with an equal one changes nothing, so a recorder that finds its own
/// outcome in its slot returns at once. When the window is full of fast successes, a fast success changes nothing
/// whichever slot it would take, so it returns after one read of the totals, without claiming a sequence. This is
/// what makes the healthy path write no shared memory. Under concurrency, which N calls are "the last N" is decided
/// by the order of the slot exchanges; the totals always equal the content of the slots.
/// </para>
/// <para>Invariants, asserted in debug builds: every field of the packed word is non-negative and the total is at
/// most N; every snapshot has failed, slow ≤ total and slow-failed ≤ failed, slow.</para>
/// </remarks>
internal sealed class CountWindow : SlidingWindow
{
    /// <summary>The largest window: leaves 15,535 of headroom in each 16-bit field for recorders in flight.</summary>
    public const int MaxSize = 50_000;

    private const int TotalShift = 48;
    private const int FailedShift = 32;
    private const int SlowShift = 16;
    private const long FieldMask = 0xFFFF;

    private const long OneCall = 1L << TotalShift;

    /// <summary>The kind fields of each outcome, without the total (which moves only when an empty slot fills).</summary>
    private static ReadOnlySpan<long> PackedKinds =>
    [
        0,
        0,
        1L << FailedShift,
        1L << SlowShift,
        (1L << FailedShift) | (1L << SlowShift) | 1L,
    ];

    private readonly byte[] _slots;
    private readonly long _fullOfSuccesses;
    private PaddedLong _totals;
    private PaddedLong _sequence;

    public CountWindow(int size, int minimumNumberOfCalls)
        : base(Math.Min(size, minimumNumberOfCalls))
    {
        Debug.Assert(size is >= 1 and <= MaxSize, "The window size is validated by the options.");
        _slots = new byte[size];
        _fullOfSuccesses = (long)size << TotalShift;
    }

    public int Size => _slots.Length;

    public override bool Record(CallOutcome outcome, long now)
    {
        Debug.Assert(outcome != CallOutcome.None, "Only real outcomes are recorded.");
        if (outcome == CallOutcome.Success && Volatile.Read(ref _totals.Value) == _fullOfSuccesses)
        {
            return false;
        }

        long sequence = Interlocked.Increment(ref _sequence.Value) - 1;
        ref byte slot = ref _slots[(int)((ulong)sequence % (ulong)_slots.Length)];
        if (Volatile.Read(ref slot) == (byte)outcome)
        {
            return false;
        }

        ReadOnlySpan<long> kinds = PackedKinds;
        long added = kinds[(int)outcome];
        if (added != 0)
        {
            Interlocked.Add(ref _totals.Value, added);
        }

        byte displaced = Interlocked.Exchange(ref slot, (byte)outcome);
        long removed = displaced == (byte)CallOutcome.None ? -OneCall : kinds[displaced];
        if (removed != 0)
        {
            long after = Interlocked.Add(ref _totals.Value, -removed);
            Debug.Assert(IsInRange(after), "Kind fields never go below the content of the slots; the total never exceeds the size.");
        }

        // A fast success that displaced an outcome only lowers the rates; it matters only while the window fills.
        return outcome != CallOutcome.Success || displaced == (byte)CallOutcome.None;
    }

    public override WindowCounts GetCounts(long now)
    {
        long totals = Volatile.Read(ref _totals.Value);
        Debug.Assert(IsInRange(totals), "The packed word never leaves its range.");

        // A kind field may run ahead of the slots by the recorders in flight; the total never does.
        long total = (totals >> TotalShift) & FieldMask;
        long failed = Math.Min((totals >> FailedShift) & FieldMask, total);
        long slow = Math.Min((totals >> SlowShift) & FieldMask, total);
        long slowFailed = Math.Min(totals & FieldMask, Math.Min(failed, slow));
        var counts = new WindowCounts(total, failed, slow, slowFailed);
        Debug.Assert(counts.IsConsistent && total <= Size, "A snapshot is consistent and holds at most N calls.");
        return counts;
    }

    /// <summary>Whether the total of the packed word is at most the size.</summary>
    private bool IsInRange(long totals) => (long)((ulong)totals >> TotalShift) <= Size;
}
