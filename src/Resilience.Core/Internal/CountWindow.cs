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
/// slot is the sequence modulo N. It first <i>adds</i> its outcome to the totals, then exchanges it into the slot,
/// then <i>subtracts</i> the outcome it displaced. The add of a value always happens before the exchange that
/// publishes it, and the subtraction of a value always happens after the exchange that removed it, so no field of
/// the totals ever goes below its true value: the totals are always the exact sum of the slots plus the outcomes
/// of recorders that are between their add and their subtraction (at most one each).
/// </para>
/// <para>
/// <b>Skipping no-ops.</b> Replacing an outcome with an equal one changes nothing, so a recorder that finds its own
/// outcome in its slot returns at once. When the window is full of fast successes, a fast success changes nothing
/// whichever slot it would take, so it returns after one read of the totals, without claiming a sequence. This is
/// what makes the healthy path write no shared memory. Under concurrency, which N calls are "the last N" is decided
/// by the order of the slot exchanges; the totals always equal the content of the slots.
/// </para>
/// <para>Invariants, asserted in debug builds: every field of the totals is non-negative; failed, slow ≤ total;
/// slow-failed ≤ failed, slow.</para>
/// </remarks>
internal sealed class CountWindow : SlidingWindow
{
    /// <summary>The largest window: leaves 15,535 of headroom in each 16-bit field for recorders in flight.</summary>
    public const int MaxSize = 50_000;

    private const int TotalShift = 48;
    private const int FailedShift = 32;
    private const int SlowShift = 16;
    private const long FieldMask = 0xFFFF;

    private static ReadOnlySpan<long> Packed =>
    [
        0,
        1L << TotalShift,
        (1L << TotalShift) | (1L << FailedShift),
        (1L << TotalShift) | (1L << SlowShift),
        (1L << TotalShift) | (1L << FailedShift) | (1L << SlowShift) | 1L,
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

        ReadOnlySpan<long> packed = Packed;
        Interlocked.Add(ref _totals.Value, packed[(int)outcome]);
        byte displaced = Interlocked.Exchange(ref slot, (byte)outcome);
        if (displaced != (byte)CallOutcome.None)
        {
            long after = Interlocked.Add(ref _totals.Value, -packed[displaced]);
            Debug.Assert(Unpack(after).IsConsistent, "Totals never go below the content of the slots.");
        }

        // A fast success that displaced an outcome only lowers the rates; it matters only while the window fills.
        return outcome != CallOutcome.Success || displaced == (byte)CallOutcome.None;
    }

    public override WindowCounts GetCounts(long now)
    {
        WindowCounts counts = Unpack(Volatile.Read(ref _totals.Value));
        Debug.Assert(counts.IsConsistent, "A snapshot of one packed word is always consistent.");
        return counts;
    }

    private static WindowCounts Unpack(long totals) => new(
        (totals >> TotalShift) & FieldMask,
        (totals >> FailedShift) & FieldMask,
        (totals >> SlowShift) & FieldMask,
        totals & FieldMask);
}
