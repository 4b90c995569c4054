namespace Resilience.Routing.Internal;

/// <summary>
/// The randomness of the policies: <see cref="Shared"/> (thread-safe, <see cref="System.Random.Shared"/>) in production;
/// tests register a seeded one as a service so that picks are reproducible.
/// </summary>
internal abstract class RandomSource
{
    /// <summary>Gets the thread-safe source over <see cref="System.Random.Shared"/>.</summary>
    public static RandomSource Shared { get; } = new SharedSource();

    /// <summary>A source with a fixed seed; not thread-safe, for tests that pick from one thread.</summary>
    public static RandomSource Seeded(int seed) => new SeededSource(seed);

    /// <summary>A number from 0 to <paramref name="maxExclusive"/> − 1.</summary>
    public abstract int Next(int maxExclusive);

    /// <summary>A number in [0, 1).</summary>
    public abstract double NextDouble();

    private sealed class SharedSource : RandomSource
    {
        public override int Next(int maxExclusive) => System.Random.Shared.Next(maxExclusive);

        public override double NextDouble() => System.Random.Shared.NextDouble();
    }

    private sealed class SeededSource(int seed) : RandomSource
    {
#pragma warning disable CA5394 // Load balancing needs no cryptographic randomness.
        private readonly System.Random _random = new(seed);

        public override int Next(int maxExclusive) => _random.Next(maxExclusive);

        public override double NextDouble() => _random.NextDouble();
#pragma warning restore CA5394
    }
}
