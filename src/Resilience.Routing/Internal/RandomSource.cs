namespace Resilience.Routing.Internal;

/// <summary>
/// The randomness of the policies: <see cref="Shared"/> (thread-safe, <see cref="System.Random.Shared"/>) in production;
/// tests register a seeded one as a service so that picks are reproducible.
/// </summary>
/// <remarks>A sealed wrapper over one <see cref="System.Random"/>, so that a draw is a single virtual call, as a policy
/// that used <see cref="System.Random.Shared"/> directly would make.</remarks>
internal sealed class RandomSource
{
    private readonly System.Random _random;

    private RandomSource(System.Random random) => _random = random;

    /// <summary>Gets the thread-safe source over <see cref="System.Random.Shared"/>.</summary>
    public static RandomSource Shared { get; } = new(System.Random.Shared);

    /// <summary>A source with a fixed seed; not thread-safe, for tests that pick from one thread.</summary>
#pragma warning disable CA5394 // Load balancing needs no cryptographic randomness.
    public static RandomSource Seeded(int seed) => new(new System.Random(seed));

    /// <summary>A number from 0 to <paramref name="maxExclusive"/> − 1.</summary>
    public int Next(int maxExclusive) => _random.Next(maxExclusive);

    /// <summary>63 uniform random bits, from 0 to <see cref="long.MaxValue"/> − 1 (<see cref="System.Random.NextInt64()"/>).</summary>
    public ulong NextBits63() => (ulong)_random.NextInt64();

    /// <summary>A number in [0, 1).</summary>
    public double NextDouble() => _random.NextDouble();
#pragma warning restore CA5394
}
