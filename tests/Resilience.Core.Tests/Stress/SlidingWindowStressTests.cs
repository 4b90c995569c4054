using System.Collections.Concurrent;
using Resilience.Internal;
using static Resilience.Tests.Stress.ConcurrentRunner;

namespace Resilience.Tests.Stress;

[Collection(StressTestGroup.Name)]
public class SlidingWindowStressTests
{
    private const int CallsPerThread = 5_000;
    private const long Frequency = TimeSpan.TicksPerSecond;

    [Fact]
    public void CountWindow_ConcurrentRecordsThatAllFit_CountsAreExact()
    {
        var window = new CountWindow(CountWindow.MaxSize, CountWindow.MaxSize);
        (Threads * CallsPerThread).Should().BeLessThanOrEqualTo(CountWindow.MaxSize);

        Run(Threads, _ =>
        {
            for (int i = 0; i < CallsPerThread; i++)
            {
                window.Record(OutcomeOf(i), 0);
            }
        });

        window.GetCounts(0).Should().Be(ExpectedCounts(Threads, CallsPerThread));
    }

    [Fact]
    public void TimeWindow_ConcurrentRecordsWithinOneSecond_CountsAreExact()
    {
        const long now = 1_000 * Frequency;
        var window = new TimeWindow(10, 1, Frequency, now);

        Run(Threads, _ =>
        {
            for (int i = 0; i < CallsPerThread; i++)
            {
                window.Record(OutcomeOf(i), now);
            }
        });

        window.GetCounts(now).Should().Be(ExpectedCounts(Threads, CallsPerThread));
    }

    [Theory]
    [InlineData(1_000)]
    [InlineData(100)]
    [InlineData(3)]
    public void CountWindow_SmallerThanAllCalls_SnapshotsNeverExceedTheSizeAndFullAfterwards(int size)
    {
        var window = new CountWindow(size, size);
        var violations = new ConcurrentQueue<string>();
        int writersLeft = Threads;
        long snapshots = 0;
        using var readerStarted = new ManualResetEventSlim();

        Run(Threads + 1, index =>
        {
            if (index == Threads)
            {
                // The reader: snapshot continuously while the writers run.
                readerStarted.Set();
                do
                {
                    string? violation = Violation(window.GetCounts(0), size);
                    if (violation is not null)
                    {
                        violations.Enqueue(violation);
                    }

                    snapshots++;
                }
                while (Volatile.Read(ref writersLeft) > 0);

                return;
            }

            readerStarted.Wait();

            // Each writer shifts the mix so that the slots are contended by different kinds.
            for (int i = 0; i < CallsPerThread; i++)
            {
                window.Record(OutcomeOf(i + (index * 3)), 0);
            }

            Interlocked.Decrement(ref writersLeft);
        });

        violations.Should().BeEmpty();
        snapshots.Should().BePositive();
        window.GetCounts(0).Total.Should().Be(size);
        AssertTotalsMatchSlots(window, size);
    }

    [Fact]
    public void CountWindow_ConcurrentSuccessesAndRareFailures_TotalsMatchSlots()
    {
        // Mostly fast successes: exercises the "window full of successes" no-op path against concurrent displacements.
        const int size = 64;
        var window = new CountWindow(size, size);

        Run(Threads, index =>
        {
            for (int i = 0; i < 20_000; i++)
            {
                window.Record(i % 97 == index ? CallOutcome.Failure : CallOutcome.Success, 0);
            }
        });

        WindowCounts counts = window.GetCounts(0);
        counts.Total.Should().Be(size);
        Violation(counts, size).Should().BeNull();
        AssertTotalsMatchSlots(window, size);
    }

    [Fact]
    public void TimeWindow_ConcurrentRecordsRacingToSlide_CountsOfLastSecondsAreExact()
    {
        // Each phase: all threads record at one instant (the first records race to slide the window), then the
        // test thread checks the counts against the phases still inside the window and moves time on.
        const int size = 3;
        const int perPhase = 500;
        int[] gaps = [1, 1, 1, 2, 1, 5, 1, 1, 3, 1, 1, 1, 4, 1, 2, 1, 1, 1, 1, 7];
        long now = 5_000 * Frequency;
        var window = new TimeWindow(size, 1, Frequency, now);
        var history = new List<(long Second, WindowCounts Counts)>();
        var failures = new List<string>();
        using var barrier = new Barrier(Threads + 1);

        Run(Threads + 1, index =>
        {
            for (int phase = 0; phase < gaps.Length; phase++)
            {
                barrier.SignalAndWait();
                if (index < Threads)
                {
                    long at = Volatile.Read(ref now);
                    for (int i = 0; i < perPhase; i++)
                    {
                        window.Record(OutcomeOf(i + phase + index), at);
                    }
                }

                barrier.SignalAndWait();
                if (index == Threads)
                {
                    long second = now / Frequency;
                    history.Add((second, PhaseCounts(phase)));
                    WindowCounts expected = Sum(history.Where(h => h.Second > second - size).Select(h => h.Counts));
                    WindowCounts actual = window.GetCounts(now);
                    if (actual != expected)
                    {
                        failures.Add($"phase {phase}: expected {expected}, actual {actual}");
                    }

                    Volatile.Write(ref now, now + (gaps[phase] * Frequency));
                }
            }
        });

        failures.Should().BeEmpty();

        WindowCounts PhaseCounts(int phase)
        {
            var counts = new WindowCounts(0, 0, 0, 0);
            for (int t = 0; t < Threads; t++)
            {
                for (int i = 0; i < perPhase; i++)
                {
                    counts = Sum([counts, Of(OutcomeOf(i + phase + t))]);
                }
            }

            return counts;
        }
    }

    [Fact]
    public void TimeWindow_RecordsWhileTimeAdvances_SnapshotsConsistentAndWindowEmptiesAfterGap()
    {
        const int size = 2;
        long now = 100 * Frequency;
        var window = new TimeWindow(size, 1, Frequency, now);
        var violations = new ConcurrentQueue<string>();
        long recorded = 0;
        int writersLeft = Threads;
        using var helpersStarted = new CountdownEvent(2); // the clock and the reader

        Run(Threads + 2, index =>
        {
            if (index == Threads)
            {
                // The clock: 100 ms steps while the writers run.
                helpersStarted.Signal();
                while (Volatile.Read(ref writersLeft) > 0)
                {
                    Interlocked.Add(ref now, Frequency / 10);
                    Thread.Yield();
                }
            }
            else if (index == Threads + 1)
            {
                // The reader: every snapshot is consistent and never holds more than was recorded.
                helpersStarted.Signal();
                do
                {
                    WindowCounts counts = window.GetCounts(Volatile.Read(ref now));
                    long ceiling = Volatile.Read(ref recorded) + Threads; // read after the snapshot; at most one call per writer in flight
                    string? violation = Violation(counts, ceiling);
                    if (violation is not null)
                    {
                        violations.Enqueue(violation);
                    }
                }
                while (Volatile.Read(ref writersLeft) > 0);
            }
            else
            {
                helpersStarted.Wait();
                for (int i = 0; i < CallsPerThread; i++)
                {
                    window.Record(OutcomeOf(i), Volatile.Read(ref now));
                    Interlocked.Increment(ref recorded);
                }

                Interlocked.Decrement(ref writersLeft);
            }
        });

        violations.Should().BeEmpty();
        long end = Volatile.Read(ref now);
        Violation(window.GetCounts(end), Threads * CallsPerThread).Should().BeNull();
        window.GetCounts(end + (size * Frequency)).Should().Be(new WindowCounts(0, 0, 0, 0));
        window.Record(CallOutcome.Failure, end + (size * Frequency));
        window.GetCounts(end + (size * Frequency)).Should().Be(new WindowCounts(1, 1, 0, 0));
    }

    [Fact]
    public void TimeWindow_LongWindowWhileTimeAdvances_KeepsEveryCallExactly()
    {
        // A one-hour window never drops a call during this run, however the slides interleave with the records.
        const int size = TimeWindow.MaxSize;
        long now = 100 * Frequency;
        var window = new TimeWindow(size, 1, Frequency, now);
        int writersLeft = Threads;
        using var clockStarted = new ManualResetEventSlim();

        Run(Threads + 1, index =>
        {
            if (index == Threads)
            {
                clockStarted.Set();
                for (int step = 0; step < 2_000 && Volatile.Read(ref writersLeft) > 0; step++)
                {
                    Interlocked.Add(ref now, Frequency / 4);
                    window.GetCounts(Volatile.Read(ref now));
                    Thread.Yield();
                }

                return;
            }

            clockStarted.Wait();
            for (int i = 0; i < CallsPerThread; i++)
            {
                window.Record(OutcomeOf(i), Volatile.Read(ref now));
            }

            Interlocked.Decrement(ref writersLeft);
        });

        window.GetCounts(Volatile.Read(ref now)).Should().Be(ExpectedCounts(Threads, CallsPerThread));
    }

    /// <summary>
    /// Proves that the totals equal the content of the slots without reading private state: recording
    /// <paramref name="size"/> outcomes of one kind sequentially replaces every slot, so the totals end exactly
    /// at "size of that kind" only if they matched the slots before.
    /// </summary>
    private static void AssertTotalsMatchSlots(CountWindow window, long size)
    {
        for (int i = 0; i < size; i++)
        {
            window.Record(CallOutcome.SlowFailure, 0);
        }

        window.GetCounts(0).Should().Be(new WindowCounts(size, size, size, size));
        for (int i = 0; i < size; i++)
        {
            window.Record(CallOutcome.Failure, 0);
        }

        window.GetCounts(0).Should().Be(new WindowCounts(size, size, 0, 0));
    }

    private static WindowCounts Of(CallOutcome outcome) => outcome switch
    {
        CallOutcome.Success => new WindowCounts(1, 0, 0, 0),
        CallOutcome.Failure => new WindowCounts(1, 1, 0, 0),
        CallOutcome.SlowSuccess => new WindowCounts(1, 0, 1, 0),
        _ => new WindowCounts(1, 1, 1, 1),
    };

    private static WindowCounts Sum(IEnumerable<WindowCounts> counts)
    {
        long total = 0, failed = 0, slow = 0, slowFailed = 0;
        foreach (WindowCounts c in counts)
        {
            (total, failed, slow, slowFailed) = (total + c.Total, failed + c.Failed, slow + c.Slow, slowFailed + c.SlowFailed);
        }

        return new WindowCounts(total, failed, slow, slowFailed);
    }
}
