using Resilience.Routing.Internal;

namespace Resilience.Routing.Tests.Internal;

public sealed class RandomSourceTests
{
    private const int Draws = 120_000;

    [Theory]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(100)]
    public void Next_Shared_UniformOverTheRange(int range)
    {
        int[] counts = new int[range];
        for (int i = 0; i < Draws; i++)
        {
            int n = RandomSource.Shared.Next(range);
            n.Should().BeInRange(0, range - 1);
            counts[n]++;
        }

        // Chi-square with range − 1 degrees of freedom: its mean is range − 1 and its deviation sqrt(2(range − 1)),
        // so ten deviations above the mean is never reached by a uniform source and always by a skewed one.
        double expected = (double)Draws / range;
        double chiSquare = counts.Sum(c => (c - expected) * (c - expected) / expected);
        chiSquare.Should().BeLessThan(range - 1 + (10 * Math.Sqrt(2.0 * (range - 1))));
    }

    [Fact]
    public void Next_SharedWithZero_ReturnsZeroAsSystemRandomDoes()
    {
        RandomSource.Shared.Next(0).Should().Be(0);
    }

    [Fact]
    public void NextBits63AndNextDouble_Shared_InRangeAndSpreadOverIt()
    {
        ulong[] bits = [.. Enumerable.Range(0, Draws).Select(static _ => RandomSource.Shared.NextBits63())];
        double[] doubles = [.. Enumerable.Range(0, Draws).Select(static _ => RandomSource.Shared.NextDouble())];

        bits.Should().OnlyContain(static b => b <= long.MaxValue);
        bits.Count(static b => b >= 1UL << 62).Should().BeInRange(Draws / 2 * 9 / 10, Draws / 2 * 11 / 10, "the top bit of the 63 is set half the time");
        bits.Count(static b => (b & 1) == 1).Should().BeInRange(Draws / 2 * 9 / 10, Draws / 2 * 11 / 10, "so is the lowest");
        doubles.Should().OnlyContain(static d => d >= 0 && d < 1);
        doubles.Average().Should().BeApproximately(0.5, 0.01);
    }

    [Fact]
    public async Task Shared_TwoThreads_DrawDifferentSequences()
    {
        static ulong[] Sequence() => [.. Enumerable.Range(0, 8).Select(static _ => RandomSource.Shared.NextBits63())];

        ulong[][] sequences = await Task.WhenAll(
            Task.Factory.StartNew(Sequence, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default),
            Task.Factory.StartNew(Sequence, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default));

        sequences[0].Should().NotEqual(sequences[1], "each thread seeds its own generator");
    }

    [Fact]
    public void Seeded_SameSeed_ReturnsSystemRandomsSequence()
    {
        RandomSource source = RandomSource.Seeded(42);
#pragma warning disable CA5394 // The reference sequence, not a security use.
        var reference = new Random(42);
        int[] expected = [reference.Next(10), (int)(reference.NextInt64() % 1000), (int)(reference.NextDouble() * 1000)];
#pragma warning restore CA5394

        int[] actual = [source.Next(10), (int)((long)source.NextBits63() % 1000), (int)(source.NextDouble() * 1000)];

        actual.Should().Equal(expected);
    }
}
