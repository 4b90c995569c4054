using System.Collections.Concurrent;
using Resilience.Internal;

namespace Resilience.Tests.Stress;

/// <summary>Stress tests run alone, so that they do not compete for the CPU with other test classes.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StressTestGroup
{
    public const string Name = "Stress";
}

/// <summary>Runs bounded loops on dedicated threads released together by a start gate.</summary>
internal static class ConcurrentRunner
{
    /// <summary>The number of worker threads: several per core on the 2-core CI machines, to force preemption.</summary>
    public const int Threads = 8;

    /// <summary>Runs <paramref name="body"/> on <paramref name="threads"/> threads at once and waits for all of them.</summary>
    /// <exception cref="AggregateException">A thread threw; its exception is inside.</exception>
    public static void Run(int threads, Action<int> body)
    {
        var errors = new ConcurrentQueue<Exception>();
        using var start = new ManualResetEventSlim();
        var workers = new Thread[threads];
        for (int t = 0; t < threads; t++)
        {
            int index = t;
            workers[t] = new Thread(() =>
            {
                start.Wait();
                try
                {
                    body(index);
                }
#pragma warning disable CA1031 // Any failure on a worker is reported on the test thread.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    errors.Enqueue(ex);
                }
            })
            {
                IsBackground = true,
                Name = "stress-" + index,
            };
            workers[t].Start();
        }

        start.Set();
        foreach (Thread worker in workers)
        {
            worker.Join();
        }

        if (!errors.IsEmpty)
        {
            throw new AggregateException(errors);
        }
    }

    /// <summary>The outcome of call <paramref name="i"/> in the known mix: per 10 calls, 5 S, 2 F, 2 SS, 1 SF.</summary>
    public static CallOutcome OutcomeOf(int i) => (i % 10) switch
    {
        < 5 => CallOutcome.Success,
        < 7 => CallOutcome.Failure,
        < 9 => CallOutcome.SlowSuccess,
        _ => CallOutcome.SlowFailure,
    };

    /// <summary>The exact counts of calls 0 to <paramref name="calls"/> − 1 of the mix, on each of <paramref name="threads"/> threads.</summary>
    public static WindowCounts ExpectedCounts(int threads, int calls)
    {
        long total = 0, failed = 0, slow = 0, slowFailed = 0;
        for (int i = 0; i < calls; i++)
        {
            CallOutcome outcome = OutcomeOf(i);
            total++;
            failed += outcome is CallOutcome.Failure or CallOutcome.SlowFailure ? 1 : 0;
            slow += outcome is CallOutcome.SlowSuccess or CallOutcome.SlowFailure ? 1 : 0;
            slowFailed += outcome == CallOutcome.SlowFailure ? 1 : 0;
        }

        return new WindowCounts(total * threads, failed * threads, slow * threads, slowFailed * threads);
    }

    /// <summary>Checks the invariants every snapshot must satisfy; returns a description of the first violation, or null.</summary>
    public static string? Violation(WindowCounts counts, long maxTotal)
    {
        if (counts.Total < 0 || counts.Failed < 0 || counts.Slow < 0 || counts.SlowFailed < 0)
        {
            return $"negative field in {counts}";
        }

        if (counts.Failed > counts.Total || counts.Slow > counts.Total)
        {
            return $"failed or slow above total in {counts}";
        }

        if (counts.SlowFailed > Math.Min(counts.Failed, counts.Slow))
        {
            return $"slow-failed above min(failed, slow) in {counts}";
        }

        return counts.Total > maxTotal ? $"total above {maxTotal} in {counts}" : null;
    }
}
