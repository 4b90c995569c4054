using Microsoft.Extensions.Time.Testing;
using Resilience.Internal;

namespace Resilience.Tests.Internal;

public class TimeWindowTests
{
    private const CallOutcome S = CallOutcome.Success;
    private const CallOutcome F = CallOutcome.Failure;
    private const CallOutcome SS = CallOutcome.SlowSuccess;
    private const CallOutcome SF = CallOutcome.SlowFailure;

    private static readonly WindowCounts Empty = new(0, 0, 0, 0);

    private readonly FakeTimeProvider _time = NewTimeAtWholeSecond();

    private long Now => _time.GetTimestamp();

    [Fact]
    public void GetCounts_NewWindow_IsEmpty()
    {
        TimeWindow window = NewWindow(3);

        window.GetCounts(Now).Should().Be(Empty);
    }

    [Fact]
    public void Record_WithinOneSecond_CountsAllKinds()
    {
        TimeWindow window = NewWindow(3);

        window.Record(S, Now);
        _time.Advance(TimeSpan.FromMilliseconds(250));
        window.Record(F, Now);
        _time.Advance(TimeSpan.FromMilliseconds(250));
        window.Record(SS, Now);
        _time.Advance(TimeSpan.FromMilliseconds(499));
        window.Record(SF, Now);
        window.Record(SF, Now);

        window.GetCounts(Now).Should().Be(new WindowCounts(5, 3, 3, 2));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(10)]
    public void GetCounts_UntilWindowSizeSeconds_KeepsOutcomeThenSlidesItOut(int size)
    {
        TimeWindow window = NewWindow(size);
        window.Record(SF, Now);

        _time.Advance(TimeSpan.FromSeconds(size - 1));
        window.GetCounts(Now).Should().Be(new WindowCounts(1, 1, 1, 1), "the outcome is N-1 seconds old");

        _time.Advance(TimeSpan.FromMilliseconds(999));
        window.GetCounts(Now).Should().Be(new WindowCounts(1, 1, 1, 1), "the current second has not ended");

        _time.Advance(TimeSpan.FromMilliseconds(1));
        window.GetCounts(Now).Should().Be(Empty, "the outcome is N seconds old");
    }

    [Fact]
    public void GetCounts_OneOutcomePerSecond_SlidesOutSecondBySecond()
    {
        TimeWindow window = NewWindow(3);
        window.Record(F, Now);
        _time.Advance(TimeSpan.FromSeconds(1));
        window.Record(SS, Now);
        _time.Advance(TimeSpan.FromSeconds(1));
        window.Record(SF, Now);
        window.GetCounts(Now).Should().Be(new WindowCounts(3, 2, 2, 1));

        _time.Advance(TimeSpan.FromSeconds(1));
        window.GetCounts(Now).Should().Be(new WindowCounts(2, 1, 2, 1), "F slid out");

        _time.Advance(TimeSpan.FromSeconds(1));
        window.GetCounts(Now).Should().Be(new WindowCounts(1, 1, 1, 1), "SS slid out");

        _time.Advance(TimeSpan.FromSeconds(1));
        window.GetCounts(Now).Should().Be(Empty, "SF slid out");
    }

    [Fact]
    public void Record_SteadyTrafficOverManySeconds_HoldsOnlyTheLastNSeconds()
    {
        const int size = 3;
        TimeWindow window = NewWindow(size);

        for (int second = 0; second < 12; second++)
        {
            window.Record(F, Now);
            window.Record(S, Now);
            long seconds = Math.Min(second + 1, size);
            window.GetCounts(Now).Should().Be(new WindowCounts(2 * seconds, seconds, 0, 0), "at second {0}", second);
            _time.Advance(TimeSpan.FromSeconds(1));
        }
    }

    [Fact]
    public void Record_RecordsWithoutReadsAcrossSeconds_SlideOnRecord()
    {
        TimeWindow window = NewWindow(2);
        window.Record(F, Now);
        window.Record(F, Now);
        _time.Advance(TimeSpan.FromSeconds(1));
        window.Record(S, Now);
        _time.Advance(TimeSpan.FromSeconds(1));
        window.Record(SS, Now);

        window.GetCounts(Now).Should().Be(new WindowCounts(2, 0, 1, 0));
    }

    [Theory]
    [InlineData(3, 3)]
    [InlineData(3, 4)]
    [InlineData(3, 10)]
    [InlineData(3, 1000)]
    [InlineData(1, 5)]
    public void GetCounts_IdleGapOfAtLeastWindowSize_EmptiesWindow(int size, int gapSeconds)
    {
        TimeWindow window = NewWindow(size);
        for (int i = 0; i < size; i++)
        {
            window.Record(F, Now);
            window.Record(SF, Now);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        _time.Advance(TimeSpan.FromSeconds(gapSeconds - 1));

        window.GetCounts(Now).Should().Be(Empty);
    }

    [Fact]
    public void GetCounts_IdleGapOfCenturies_EmptiesWindowWithoutVisitingEachSecond()
    {
        // A slide writes at most one base per second of the window, not one per second of the gap: billions here.
        TimeWindow window = NewWindow(3);
        window.Record(F, Now);

        _time.Advance(TimeSpan.FromDays(365.25 * 300));

        window.GetCounts(Now).Should().Be(Empty);
        window.Record(SF, Now);
        window.GetCounts(Now).Should().Be(new WindowCounts(1, 1, 1, 1));
    }

    [Fact]
    public void Record_AfterIdleGapLongerThanWindow_StartsFromEmpty()
    {
        TimeWindow window = NewWindow(3);
        for (int i = 0; i < 3; i++)
        {
            window.Record(F, Now);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        _time.Advance(TimeSpan.FromSeconds(10));
        window.Record(F, Now);
        window.GetCounts(Now).Should().Be(new WindowCounts(1, 1, 0, 0));

        _time.Advance(TimeSpan.FromSeconds(1));
        window.Record(S, Now);
        window.GetCounts(Now).Should().Be(new WindowCounts(2, 1, 0, 0));

        _time.Advance(TimeSpan.FromSeconds(2));
        window.GetCounts(Now).Should().Be(new WindowCounts(1, 0, 0, 0), "only the success is within the last 3 seconds");
    }

    [Fact]
    public void GetCounts_PartialSlides_CountsBySecondBoundariesNotByAge()
    {
        TimeWindow window = NewWindow(2);
        _time.Advance(TimeSpan.FromMilliseconds(900));
        window.Record(F, Now); // second 0
        _time.Advance(TimeSpan.FromMilliseconds(200));
        window.Record(S, Now); // second 1

        _time.Advance(TimeSpan.FromMilliseconds(899)); // 1.999 s
        window.GetCounts(Now).Should().Be(new WindowCounts(2, 1, 0, 0));

        _time.Advance(TimeSpan.FromMilliseconds(1)); // 2.000 s: second 0 leaves though F is only 1.1 s old
        window.GetCounts(Now).Should().Be(new WindowCounts(1, 0, 0, 0));

        _time.Advance(TimeSpan.FromMilliseconds(999)); // 2.999 s
        window.GetCounts(Now).Should().Be(new WindowCounts(1, 0, 0, 0));

        _time.Advance(TimeSpan.FromMilliseconds(1)); // 3.000 s
        window.GetCounts(Now).Should().Be(Empty);
    }

    [Fact]
    public void GetCounts_GapShorterThanWindow_DropsOnlyTheSecondsThatLeft()
    {
        TimeWindow window = NewWindow(5);
        window.Record(F, Now); // second 0
        _time.Advance(TimeSpan.FromSeconds(1));
        window.Record(SS, Now); // second 1
        _time.Advance(TimeSpan.FromSeconds(1));
        window.Record(SF, Now); // second 2

        _time.Advance(TimeSpan.FromSeconds(4)); // second 6: window covers 2..6

        window.GetCounts(Now).Should().Be(new WindowCounts(1, 1, 1, 1));
    }

    [Fact]
    public void Constructor_MidSecond_AlignsSecondsToTheClockNotToConstruction()
    {
        _time.Advance(TimeSpan.FromMilliseconds(500));
        TimeWindow window = NewWindow(1);
        window.Record(F, Now);

        _time.Advance(TimeSpan.FromMilliseconds(500)); // a new second, only 0.5 s after the record

        window.GetCounts(Now).Should().Be(Empty);
    }

    [Theory]
    [InlineData((int)CallOutcome.Failure)]
    [InlineData((int)CallOutcome.SlowSuccess)]
    [InlineData((int)CallOutcome.SlowFailure)]
    public void Record_FailureOrSlow_AlwaysReturnsTrue(int kind)
    {
        var outcome = (CallOutcome)kind;
        TimeWindow window = NewWindow(3, minimumNumberOfCalls: 1);
        window.Record(S, Now);
        window.GetCounts(Now).Total.Should().Be(1, "the minimum is now confirmed for this second");

        window.Record(outcome, Now).Should().BeTrue();
        window.Record(outcome, Now).Should().BeTrue();
        window.GetCounts(Now);
        window.Record(outcome, Now).Should().BeTrue();
    }

    [Fact]
    public void Record_FastSuccessBeforeMinimumConfirmed_ReturnsTrue()
    {
        TimeWindow window = NewWindow(3, minimumNumberOfCalls: 3);

        window.Record(S, Now).Should().BeTrue();
        window.Record(S, Now).Should().BeTrue();
        window.GetCounts(Now).Total.Should().Be(2, "below the minimum, nothing is confirmed");
        window.Record(S, Now).Should().BeTrue();
        window.Record(S, Now).Should().BeTrue("the minimum is reached but no evaluation has confirmed it yet");
    }

    [Fact]
    public void Record_FastSuccessAfterMinimumConfirmed_ReturnsFalse()
    {
        TimeWindow window = NewWindow(3, minimumNumberOfCalls: 2);
        window.Record(S, Now);
        window.Record(S, Now);

        window.GetCountsForEvaluation(Now).Total.Should().Be(2);

        window.Record(S, Now).Should().BeFalse();
        _time.Advance(TimeSpan.FromMilliseconds(999));
        window.Record(S, Now).Should().BeFalse("still the same second");
    }

    [Fact]
    public void Record_FastSuccessAfterSlide_ReturnsTrueUntilConfirmedAgain()
    {
        TimeWindow window = NewWindow(3, minimumNumberOfCalls: 2);
        window.Record(S, Now);
        window.Record(S, Now);
        window.GetCountsForEvaluation(Now);
        window.Record(S, Now).Should().BeFalse();

        _time.Advance(TimeSpan.FromSeconds(1));

        window.Record(S, Now).Should().BeTrue("the window slid");
        window.Record(S, Now).Should().BeTrue("the minimum is not confirmed for the new second");
        window.GetCountsForEvaluation(Now).Total.Should().Be(5);
        window.Record(S, Now).Should().BeFalse();
    }

    [Fact]
    public void Record_FastSuccessAfterSlideByRead_ReturnsTrue()
    {
        TimeWindow window = NewWindow(3, minimumNumberOfCalls: 1);
        window.Record(S, Now);
        window.GetCountsForEvaluation(Now);

        _time.Advance(TimeSpan.FromSeconds(1));
        window.GetCounts(Now).Total.Should().Be(1, "a metrics read slides the window but confirms nothing");

        window.Record(S, Now).Should().BeTrue("old outcomes may have left the window, so the next record must evaluate");
        window.GetCountsForEvaluation(Now);
        window.Record(S, Now).Should().BeFalse("an evaluation confirmed the minimum for this second");
    }

    [Theory]
    [InlineData(2, 10)]
    [InlineData(1, 100)]
    [InlineData(10, 2)]
    public void EffectiveMinimumCalls_LargerThanSize_IsNotClamped(int size, int minimum)
    {
        var window = new TimeWindow(size, minimum, _time.TimestampFrequency, Now);

        window.EffectiveMinimumCalls.Should().Be(minimum);
    }

    [Fact]
    public void Record_SizeOne_CountsOnlyTheCurrentSecond()
    {
        TimeWindow window = NewWindow(1);
        window.Record(F, Now);
        _time.Advance(TimeSpan.FromMilliseconds(999));
        window.Record(S, Now);
        window.GetCounts(Now).Should().Be(new WindowCounts(2, 1, 0, 0));

        _time.Advance(TimeSpan.FromMilliseconds(1));
        window.GetCounts(Now).Should().Be(Empty);

        window.Record(SS, Now);
        window.GetCounts(Now).Should().Be(new WindowCounts(1, 0, 1, 0));

        _time.Advance(TimeSpan.FromSeconds(1));
        window.Record(SF, Now);
        window.GetCounts(Now).Should().Be(new WindowCounts(1, 1, 1, 1));
    }

    [Fact]
    public void Record_ZeroAndSmallTimestampsInWholeSecondUnits_SlideEachUnit()
    {
        var window = new TimeWindow(2, 1, unitsPerSecond: 1, now: 0);

        window.Record(F, 0);
        window.Record(S, 1);
        window.GetCounts(1).Should().Be(new WindowCounts(2, 1, 0, 0));

        window.Record(S, 2);
        window.GetCounts(2).Should().Be(new WindowCounts(2, 0, 0, 0));

        window.GetCounts(4).Should().Be(Empty);
    }

    [Fact]
    public void Record_NegativeTimestamps_SlidesLikePositiveOnes()
    {
        var window = new TimeWindow(2, 1, unitsPerSecond: 1000, now: -10_000);

        window.Record(F, -9_500);
        window.Record(SF, -8_500);
        window.GetCounts(-8_100).Should().Be(new WindowCounts(2, 2, 1, 1));

        window.GetCounts(-7_500).Should().Be(new WindowCounts(1, 1, 1, 1));
        window.GetCounts(-6_500).Should().Be(Empty);
    }

    [Fact]
    public void GetCounts_NegativeToPositiveTimestamps_EverySecondIsOneSecondLong()
    {
        // With unitsPerSecond = 1000, -500 lies in second -1 ([-1000, 0)) and +500 in second 0 ([0, 1000)).
        var window = new TimeWindow(1, 1, unitsPerSecond: 1000, now: -2_000);
        window.Record(F, -500);

        window.GetCounts(500).Should().Be(Empty, "a one-second window at +500 no longer holds the outcome recorded at -500");
    }

    [Fact]
    public void Record_LargeFrequencyAndLargeTimestamps_Works()
    {
        const long frequency = 1_000_000_000; // nanoseconds
        long start = long.MaxValue / 2;
        var window = new TimeWindow(3, 1, frequency, start);

        window.Record(F, start);
        window.Record(S, start + (2 * frequency));
        window.GetCounts(start + (2 * frequency)).Should().Be(new WindowCounts(2, 1, 0, 0));

        window.GetCounts(start + (4 * frequency)).Should().Be(new WindowCounts(1, 0, 0, 0));
    }

    private static FakeTimeProvider NewTimeAtWholeSecond()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero));
        long frequency = time.TimestampFrequency;
        long remainder = time.GetTimestamp() % frequency;
        if (remainder != 0)
        {
            time.Advance(TimeSpan.FromTicks((frequency - remainder) * TimeSpan.TicksPerSecond / frequency));
        }

        (time.GetTimestamp() % frequency).Should().Be(0, "the tests assume the fake clock starts on a whole second");
        return time;
    }

    private TimeWindow NewWindow(int size, int minimumNumberOfCalls = 1) =>
        new(size, minimumNumberOfCalls, _time.TimestampFrequency, Now);
}
