namespace Resilience.Tests.Retry;

public class IntervalFunctionsTests
{
    private static readonly TimeSpan HalfSecond = TimeSpan.FromMilliseconds(500);

    private static TimeSpan Ms(long ms) => TimeSpan.FromMilliseconds(ms);

    [Fact]
    public void Exponential_DefaultMultiplier_TruncatesEveryStepToWholeMilliseconds()
    {
        long[] expected = [500, 750, 1125, 1687, 2530, 3795, 5692];

        for (int attempt = 1; attempt <= expected.Length; attempt++)
        {
            IntervalFunctions.Exponential(attempt, HalfSecond, 1.5).Should().Be(Ms(expected[attempt - 1]), "attempt {0}", attempt);
        }
    }

    [Fact]
    public void Exponential_WithMax_CapsFromTheFirstValueAboveIt()
    {
        // Resilience4j's own example: (100, 2, 100000) gives 100 … 51200 for n = 1..10 and 100000 from n = 11.
        for (int attempt = 1; attempt <= 10; attempt++)
        {
            IntervalFunctions.Exponential(attempt, Ms(100), 2, Ms(100_000)).Should().Be(Ms(100L << (attempt - 1)));
        }

        IntervalFunctions.Exponential(11, Ms(100), 2, Ms(100_000)).Should().Be(Ms(100_000));
        IntervalFunctions.Exponential(12, Ms(100), 2, Ms(100_000)).Should().Be(Ms(100_000));
        IntervalFunctions.Exponential(13, Ms(100), 2, Ms(100_000)).Should().Be(Ms(100_000));
    }

    [Fact]
    public void Exponential_SubMillisecondInterval_IsTruncated()
    {
        IntervalFunctions.Exponential(1, TimeSpan.FromTicks(15_999), 2).Should().Be(Ms(1));
        IntervalFunctions.Exponential(2, TimeSpan.FromTicks(15_999), 2).Should().Be(Ms(2));
    }

    [Fact]
    public void Exponential_HugeAttempt_IsClampedToTheLongestTimerWait()
    {
        IntervalFunctions.Exponential(int.MaxValue, HalfSecond, 10).Should().Be(RetryConstants.MaximumWait);
        IntervalFunctions.Exponential(1_000_000, Ms(10), 1.1).Should().Be(RetryConstants.MaximumWait);
    }

    [Fact]
    public void Exponential_TruncationFixedPoint_StaysThere()
    {
        // As in Resilience4j: (long)(3 × 1.1) = 3, so a small interval with a small multiplier never grows.
        IntervalFunctions.Exponential(1_000, Ms(3), 1.1).Should().Be(Ms(3));
    }

    [Fact]
    public void Exponential_MultiplierOfOne_IsConstant()
    {
        IntervalFunctions.Exponential(50, Ms(7), 1).Should().Be(Ms(7));
    }

    [Theory]
    [InlineData(0.0, 500)]   // current − delta
    [InlineData(0.5, 1000)]  // 500 + 0.5 × 1001 = 1000.5
    [InlineData(0.9999999, 1500)] // the top of the range is current + delta
    public void Randomized_HalfFactor_SpansPlusMinusHalf(double uniform, long expected)
    {
        IntervalFunctions.Randomized(Ms(1000), 0.5, null, () => uniform).Should().Be(Ms(expected));
    }

    [Fact]
    public void Randomized_ResultBelowOneMillisecond_IsFlooredAtOne()
    {
        IntervalFunctions.Randomized(Ms(1), 1.0, null, () => 0.0).Should().Be(Ms(1));
        IntervalFunctions.Randomized(Ms(1), 1.0, null, () => 0.99).Should().Be(Ms(2)); // 0 + 0.99 × 3
        IntervalFunctions.Randomized(Ms(2), 1.0, null, () => 0.1).Should().Be(Ms(1)); // max(1, 0 + 0.5)
    }

    [Fact]
    public void Randomized_ZeroFactor_IsTheInterval()
    {
        IntervalFunctions.Randomized(Ms(800), 0, null, () => 0.99).Should().Be(Ms(800));
    }

    [Fact]
    public void Randomized_Max_IsAppliedAfterRandomisation()
    {
        IntervalFunctions.Randomized(Ms(1000), 0.5, Ms(1200), () => 0.9).Should().Be(Ms(1200)); // 1400 capped
        IntervalFunctions.Randomized(Ms(1000), 0.5, Ms(1200), () => 0.1).Should().Be(Ms(600));
    }

    [Fact]
    public void ExponentialRandom_RandomisesTheTruncatedExponentialValue()
    {
        // Attempt 3: 1125 ms; delta 562.5; 562.5 + u × 1126.
        IntervalFunctions.ExponentialRandom(3, HalfSecond, 1.5, 0.5, null, () => 0.0).Should().Be(Ms(562));
        IntervalFunctions.ExponentialRandom(3, HalfSecond, 1.5, 0.5, null, () => 0.5).Should().Be(Ms(1125));
        IntervalFunctions.ExponentialRandom(4, HalfSecond, 1.5, 0.5, null, () => 0.25).Should().Be(Ms(1265)); // 843.5 + 0.25 × 1688
    }

    [Fact]
    public void ExponentialRandom_Max_IsAppliedAfterRandomisationNotBefore()
    {
        // Capping first would randomise 1000 (giving 500); Resilience4j randomises 1125 and then caps.
        IntervalFunctions.ExponentialRandom(3, HalfSecond, 1.5, 0.5, Ms(1000), () => 0.0).Should().Be(Ms(562));
        IntervalFunctions.ExponentialRandom(3, HalfSecond, 1.5, 0.5, Ms(1000), () => 0.99).Should().Be(Ms(1000));
    }

    [Fact]
    public void ZeroInterval_GivesZeroForEveryFormulaOfTheRetrysBackoff()
    {
        // RetryOptions.WaitDuration = 0 is valid (as Resilience4j's waitDuration); the public functions reject it.
        double state = 0;
        IntervalFunctions.ExponentialMillis(5, 0, 2).Should().Be(0);
        IntervalFunctions.Randomized(TimeSpan.Zero, 1, null, () => 0.9).Should().Be(TimeSpan.Zero);
        IntervalFunctions.ExponentialRandom(5, TimeSpan.Zero, 2, 1, null, () => 0.9).Should().Be(TimeSpan.Zero);
        IntervalFunctions.DecorrelatedJitter(5, TimeSpan.Zero, ref state, null, () => 0.9).Should().Be(TimeSpan.Zero);
        state.Should().Be(0);
    }

    [Fact]
    public void DecorrelatedJitter_MatchesPollyV2Formula()
    {
        // Polly attempt n − 1; t = attempt − 1 + u; next = 2^t × tanh(√(4t)); wait = (next − prev) / 1.4 × base.
        double state = 0;
        Func<double> random = RetryTestSupport.Sequence(0.5, 0.25, 0.75, 0.0);
        long[] expectedTicks = [8_974_049, 7_630_887, 31_319_993, 9_106_063];

        for (int attempt = 1; attempt <= 4; attempt++)
        {
            TimeSpan wait = IntervalFunctions.DecorrelatedJitter(attempt, TimeSpan.FromSeconds(1), ref state, null, random);
            wait.Ticks.Should().BeCloseTo(expectedTicks[attempt - 1], 1, "attempt {0}", attempt);
        }
    }

    [Fact]
    public void DecorrelatedJitter_FirstAttemptWithZeroRandom_IsZero()
    {
        double state = 0;

        IntervalFunctions.DecorrelatedJitter(1, TimeSpan.FromSeconds(1), ref state, null, () => 0.0).Should().Be(TimeSpan.Zero);
        state.Should().Be(0);
    }

    [Fact]
    public void DecorrelatedJitter_Max_CapsAndHugeAttemptsDoNotOverflow()
    {
        double state = 0;
        IntervalFunctions.DecorrelatedJitter(3, TimeSpan.FromSeconds(1), ref state, Ms(2000), () => 0.75).Should().Be(Ms(2000));

        state = 0;
        IntervalFunctions.DecorrelatedJitter(2000, TimeSpan.FromSeconds(1), ref state, null, () => 0.5).Should().Be(RetryConstants.MaximumWait);
        IntervalFunctions.DecorrelatedJitter(2001, TimeSpan.FromSeconds(1), ref state, null, () => 0.5).Should().Be(RetryConstants.MaximumWait, "infinity minus infinity is not zero");
    }

    [Fact]
    public void PublicOverloads_UseSharedRandomWithinTheDocumentedRange()
    {
        double state = 0;
        IntervalFunctions.Randomized(Ms(1000), 0.5).Should().BeGreaterThanOrEqualTo(Ms(500)).And.BeLessThanOrEqualTo(Ms(1500));
        IntervalFunctions.ExponentialRandom(2, Ms(1000), 2, 0.5).Should().BeGreaterThanOrEqualTo(Ms(1000)).And.BeLessThanOrEqualTo(Ms(3000));
        IntervalFunctions.DecorrelatedJitter(1, Ms(1000), ref state).Should().BeGreaterThanOrEqualTo(TimeSpan.Zero).And.BeLessThan(Ms(2000));
    }

    [Fact]
    public void PublicOverloads_OneMillisecond_IsTheSmallestInterval()
    {
        // Resilience4j's checkInterval: an interval of at least 1 ms, after truncation to whole milliseconds.
        IntervalFunctions.Exponential(2, Ms(1), 2).Should().Be(Ms(2));
        IntervalFunctions.Randomized(Ms(1), 0).Should().Be(Ms(1));
        IntervalFunctions.ExponentialRandom(1, Ms(1), 2, 0).Should().Be(Ms(1));
    }

    [Fact]
    public void PublicOverloads_InvalidArguments_Throw()
    {
        double state = 0;
        Action[] invalid =
        [
            () => IntervalFunctions.Exponential(0, HalfSecond, 1.5),
            () => IntervalFunctions.Exponential(1, TimeSpan.FromTicks(-1), 1.5),
            () => IntervalFunctions.Exponential(1, TimeSpan.FromDays(50), 1.5),
            () => IntervalFunctions.Exponential(1, HalfSecond, 0.5),
            () => IntervalFunctions.Exponential(1, HalfSecond, double.NaN),
            () => IntervalFunctions.Exponential(1, HalfSecond, 1.5, TimeSpan.Zero),
            () => IntervalFunctions.Exponential(1, TimeSpan.Zero, 1.5),
            () => IntervalFunctions.Exponential(1, TimeSpan.FromTicks(TimeSpan.TicksPerMillisecond - 1), 1.5),
            () => IntervalFunctions.Randomized(TimeSpan.Zero, 0.5),
            () => IntervalFunctions.Randomized(TimeSpan.FromTicks(9_999), 0.5),
            () => IntervalFunctions.ExponentialRandom(1, TimeSpan.Zero, 1.5, 0.5),
            () => IntervalFunctions.Randomized(HalfSecond, 1.01),
            () => IntervalFunctions.Randomized(HalfSecond, -0.01),
            () => IntervalFunctions.ExponentialRandom(1, HalfSecond, 1.5, 2),
            () => IntervalFunctions.ExponentialRandom(0, HalfSecond, 1.5, 0.5),
            () => IntervalFunctions.DecorrelatedJitter(0, HalfSecond, ref state),
        ];

        foreach (Action call in invalid)
        {
            call.Should().Throw<ArgumentOutOfRangeException>();
        }
    }
}
