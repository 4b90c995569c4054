using System.Diagnostics;

namespace Resilience.Routing.Internal;

/// <summary>
/// The randomness of the policies: <see cref="Shared"/> (thread-safe, a generator per thread) in production; tests
/// register a seeded one as a service so that picks are reproducible.
/// </summary>
/// <remarks>
/// <para><see cref="Shared"/> draws from a SplitMix64 generator held in a thread-static field, seeded once per thread
/// from <see cref="System.Random.Shared"/>: a draw is a few multiplications, with no virtual call and no shared write,
/// and threads never contend. Load balancing needs uniform, independent draws, not unpredictable ones.</para>
/// <para>Ranges are mapped by multiply-shift (Lemire): the bias is below <c>maxExclusive / 2^32</c>, negligible for
/// endpoint counts. A seeded source wraps one <see cref="System.Random"/> and returns exactly its sequence.</para>
/// </remarks>
internal sealed class RandomSource
{
    [ThreadStatic]
    private static ulong t_state;

    private readonly System.Random? _random;

    private RandomSource(System.Random? random) => _random = random;

    /// <summary>Gets the thread-safe source: a generator per thread.</summary>
    public static RandomSource Shared { get; } = new(null);

    /// <summary>A source with a fixed seed; not thread-safe, for tests that pick from one thread.</summary>
#pragma warning disable CA5394 // Load balancing needs no cryptographic randomness.
    public static RandomSource Seeded(int seed) => new(new System.Random(seed));

    /// <summary>A number from 0 to <paramref name="maxExclusive"/> − 1 (0 when it is 0).</summary>
    public int Next(int maxExclusive)
    {
        Debug.Assert(maxExclusive >= 0, "The range is not negative.");
        return _random is null ? (int)(((NextPerThread() >> 32) * (ulong)(uint)maxExclusive) >> 32) : _random.Next(maxExclusive);
    }

    /// <summary>63 uniform random bits, from 0 to <see cref="long.MaxValue"/>.</summary>
    public ulong NextBits63() => _random is null ? NextPerThread() >> 1 : (ulong)_random.NextInt64();

    /// <summary>A number in [0, 1).</summary>
    public double NextDouble() => _random is null ? (NextPerThread() >> 11) * (1.0 / (1UL << 53)) : _random.NextDouble();

    /// <summary>SplitMix64 (Steele, Lea and Flood) over this thread's state, seeded on the thread's first draw.</summary>
    private static ulong NextPerThread()
    {
        ulong state = t_state;
        if (state == 0)
        {
            state = (ulong)System.Random.Shared.NextInt64() | 1;
        }

        state = unchecked(state + 0x9E3779B97F4A7C15UL);
        t_state = state;
        ulong z = state;
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }
#pragma warning restore CA5394
}
