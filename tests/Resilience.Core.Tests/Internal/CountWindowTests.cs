using Resilience.Internal;

namespace Resilience.Tests.Internal;

public class CountWindowTests
{
    private const CallOutcome S = CallOutcome.Success;
    private const CallOutcome F = CallOutcome.Failure;
    private const CallOutcome SS = CallOutcome.SlowSuccess;
    private const CallOutcome SF = CallOutcome.SlowFailure;

    [Fact]
    public void GetCounts_NewWindow_IsEmpty()
    {
        var window = new CountWindow(5, 5);

        window.GetCounts(0).Should().Be(new WindowCounts(0, 0, 0, 0));
        window.Size.Should().Be(5);
    }

    [Theory]
    [InlineData((int)CallOutcome.Success, 1, 0, 0, 0)]
    [InlineData((int)CallOutcome.Failure, 1, 1, 0, 0)]
    [InlineData((int)CallOutcome.SlowSuccess, 1, 0, 1, 0)]
    [InlineData((int)CallOutcome.SlowFailure, 1, 1, 1, 1)]
    public void Record_SingleOutcome_DerivesCounts(int kind, long total, long failed, long slow, long slowFailed)
    {
        var outcome = (CallOutcome)kind;
        var window = new CountWindow(10, 10);

        window.Record(outcome, 0);

        window.GetCounts(0).Should().Be(new WindowCounts(total, failed, slow, slowFailed));
    }

    [Fact]
    public void Record_AllFourKindsWhileFilling_SumsEveryKind()
    {
        var window = new CountWindow(10, 10);

        foreach (CallOutcome outcome in new[] { S, F, SS, SF, F, SS, SF, SF })
        {
            window.Record(outcome, 0);
        }

        // total 8; failed = F×2 + SF×3; slow = SS×2 + SF×3; slow-failed = SF×3.
        window.GetCounts(0).Should().Be(new WindowCounts(8, 5, 5, 3));
    }

    [Fact]
    public void Record_FillsExactlyToSize_CountsEveryCall()
    {
        var window = new CountWindow(4, 4);

        window.Record(F, 0);
        window.Record(S, 0);
        window.Record(SS, 0);
        window.Record(SF, 0);

        window.GetCounts(0).Should().Be(new WindowCounts(4, 2, 2, 1));
    }

    [Fact]
    public void Record_SuccessAfterFull_EvictsOldestFailure()
    {
        var window = new CountWindow(3, 3);
        window.Record(F, 0);
        window.Record(S, 0);
        window.Record(S, 0);
        window.GetCounts(0).Should().Be(new WindowCounts(3, 1, 0, 0));

        window.Record(S, 0);

        window.GetCounts(0).Should().Be(new WindowCounts(3, 0, 0, 0));
    }

    [Fact]
    public void Record_WrapAround_EvictsExactOutcomesInOrder()
    {
        var window = new CountWindow(3, 3);
        window.Record(F, 0);
        window.Record(SS, 0);
        window.Record(SF, 0);
        window.GetCounts(0).Should().Be(new WindowCounts(3, 2, 2, 1));

        window.Record(S, 0); // evicts F
        window.GetCounts(0).Should().Be(new WindowCounts(3, 1, 2, 1));

        window.Record(S, 0); // evicts SS
        window.GetCounts(0).Should().Be(new WindowCounts(3, 1, 1, 1));

        window.Record(S, 0); // evicts SF
        window.GetCounts(0).Should().Be(new WindowCounts(3, 0, 0, 0));
    }

    [Fact]
    public void Record_FailureEvictingSlowFailure_KeepsFailedAndDropsSlow()
    {
        var window = new CountWindow(2, 2);
        window.Record(SF, 0);
        window.Record(SS, 0);

        window.Record(F, 0); // evicts SF

        window.GetCounts(0).Should().Be(new WindowCounts(2, 1, 1, 0));
    }

    [Fact]
    public void Record_FailureIntoWindowFullOfSuccesses_ReplacesOneSuccess()
    {
        var window = new CountWindow(3, 3);
        for (int i = 0; i < 10; i++)
        {
            window.Record(S, 0);
        }

        window.Record(F, 0);

        window.GetCounts(0).Should().Be(new WindowCounts(3, 1, 0, 0));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Record_RandomSequence_MatchesLastNOutcomes(int seed)
    {
        const int size = 7;
        var window = new CountWindow(size, size);
        var model = new Queue<CallOutcome>();
        var outcomes = new[] { S, S, S, F, SS, SF };
#pragma warning disable CA5394 // A seeded pseudo-random sequence is what this test needs.
        var random = new Random(seed);
        for (int i = 0; i < 500; i++)
        {
            CallOutcome outcome = outcomes[random.Next(outcomes.Length)];
            window.Record(outcome, 0);
            model.Enqueue(outcome);
            if (model.Count > size)
            {
                model.Dequeue();
            }

            window.GetCounts(0).Should().Be(CountsOf(model), "after call {0}", i);
        }
#pragma warning restore CA5394
    }

    [Fact]
    public void Record_RunsOfSuccessesBetweenFailures_MatchesLastNOutcomes()
    {
        // Runs of successes make the window full of fast successes, which takes the no-op path.
        const int size = 4;
        var window = new CountWindow(size, size);
        var model = new Queue<CallOutcome>();
        CallOutcome[] sequence = [F, S, S, S, S, S, S, F, SF, S, S, S, S, S, SS, S, S, S, S, S, S, F, F, F, F, F, S];
        foreach (CallOutcome outcome in sequence)
        {
            window.Record(outcome, 0);
            model.Enqueue(outcome);
            if (model.Count > size)
            {
                model.Dequeue();
            }

            window.GetCounts(0).Should().Be(CountsOf(model));
        }
    }

    [Theory]
    [InlineData((int)CallOutcome.Success)]
    [InlineData((int)CallOutcome.Failure)]
    [InlineData((int)CallOutcome.SlowSuccess)]
    [InlineData((int)CallOutcome.SlowFailure)]
    public void Record_WhileFilling_ReturnsTrue(int kind)
    {
        var outcome = (CallOutcome)kind;
        var window = new CountWindow(3, 3);

        window.Record(outcome, 0).Should().BeTrue();
        window.Record(outcome, 0).Should().BeTrue();
        window.Record(outcome, 0).Should().BeTrue();
    }

    [Fact]
    public void Record_FastSuccessIntoWindowFullOfSuccesses_ReturnsFalseAndChangesNothing()
    {
        var window = new CountWindow(3, 3);
        window.Record(S, 0);
        window.Record(S, 0);
        window.Record(S, 0);

        window.Record(S, 0).Should().BeFalse();

        window.GetCounts(0).Should().Be(new WindowCounts(3, 0, 0, 0));
    }

    [Fact]
    public void Record_FastSuccessDisplacingFailureOnceFull_ReturnsFalse()
    {
        var window = new CountWindow(3, 3);
        window.Record(F, 0);
        window.Record(S, 0);
        window.Record(S, 0);

        window.Record(S, 0).Should().BeFalse("a fast success that displaces an outcome only lowers the rates");
        window.GetCounts(0).Should().Be(new WindowCounts(3, 0, 0, 0));
    }

    [Theory]
    [InlineData((int)CallOutcome.Failure)]
    [InlineData((int)CallOutcome.SlowSuccess)]
    [InlineData((int)CallOutcome.SlowFailure)]
    public void Record_FailureOrSlowDisplacingSuccessOnceFull_ReturnsTrue(int kind)
    {
        var outcome = (CallOutcome)kind;
        var window = new CountWindow(2, 2);
        window.Record(S, 0);
        window.Record(S, 0);

        window.Record(outcome, 0).Should().BeTrue();
    }

    [Theory]
    [InlineData((int)CallOutcome.Failure)]
    [InlineData((int)CallOutcome.SlowSuccess)]
    [InlineData((int)CallOutcome.SlowFailure)]
    public void Record_ReplacingEqualOutcome_ReturnsFalseAndChangesNothing(int kind)
    {
        var outcome = (CallOutcome)kind;
        var window = new CountWindow(2, 2);
        window.Record(outcome, 0);
        window.Record(outcome, 0);
        WindowCounts before = window.GetCounts(0);

        window.Record(outcome, 0).Should().BeFalse();

        window.GetCounts(0).Should().Be(before);
        before.Total.Should().Be(2);
    }

    [Fact]
    public void Record_FailureDisplacingSlowFailure_ReturnsTrue()
    {
        var window = new CountWindow(1, 1);
        window.Record(SF, 0);

        window.Record(F, 0).Should().BeTrue();
        window.GetCounts(0).Should().Be(new WindowCounts(1, 1, 0, 0));
    }

    [Theory]
    [InlineData(10, 5, 5)]
    [InlineData(5, 10, 5)]
    [InlineData(7, 7, 7)]
    [InlineData(1, 100, 1)]
    [InlineData(100, 1, 1)]
    public void EffectiveMinimumCalls_MinimumAndSize_IsClampedToSize(int size, int minimum, int expected)
    {
        var window = new CountWindow(size, minimum);

        window.EffectiveMinimumCalls.Should().Be(expected);
    }

    [Fact]
    public void Record_SizeOne_KeepsOnlyTheLastOutcome()
    {
        var window = new CountWindow(1, 1);

        window.Record(F, 0).Should().BeTrue();
        window.GetCounts(0).Should().Be(new WindowCounts(1, 1, 0, 0));

        window.Record(S, 0).Should().BeFalse();
        window.GetCounts(0).Should().Be(new WindowCounts(1, 0, 0, 0));

        window.Record(S, 0).Should().BeFalse();
        window.GetCounts(0).Should().Be(new WindowCounts(1, 0, 0, 0));

        window.Record(SF, 0).Should().BeTrue();
        window.GetCounts(0).Should().Be(new WindowCounts(1, 1, 1, 1));

        window.Record(SF, 0).Should().BeFalse();
        window.GetCounts(0).Should().Be(new WindowCounts(1, 1, 1, 1));

        window.Record(SS, 0).Should().BeTrue();
        window.GetCounts(0).Should().Be(new WindowCounts(1, 0, 1, 0));
    }

    [Fact]
    public void Record_SizeOneFirstSuccess_ReturnsTrue()
    {
        var window = new CountWindow(1, 1);

        window.Record(S, 0).Should().BeTrue("the first call fills the window and reaches the minimum");
        window.GetCounts(0).Should().Be(new WindowCounts(1, 0, 0, 0));
    }

    [Fact]
    public void Record_MaxSizeFilledWithSlowFailures_CountsFitInPackedFields()
    {
        var window = new CountWindow(CountWindow.MaxSize, CountWindow.MaxSize);

        for (int i = 0; i < CountWindow.MaxSize; i++)
        {
            window.Record(SF, 0);
        }

        const long max = CountWindow.MaxSize;
        window.GetCounts(0).Should().Be(new WindowCounts(max, max, max, max));

        window.Record(S, 0);
        window.GetCounts(0).Should().Be(new WindowCounts(max, max - 1, max - 1, max - 1));
    }

    [Fact]
    public void GetCounts_IgnoresTheTimeArgument()
    {
        var window = new CountWindow(2, 2);
        window.Record(F, 0);
        window.Record(F, 1_000_000);

        window.GetCounts(long.MaxValue).Should().Be(new WindowCounts(2, 2, 0, 0));
    }

    private static WindowCounts CountsOf(IEnumerable<CallOutcome> outcomes)
    {
        long total = 0, failed = 0, slow = 0, slowFailed = 0;
        foreach (CallOutcome outcome in outcomes)
        {
            total++;
            failed += outcome is F or SF ? 1 : 0;
            slow += outcome is SS or SF ? 1 : 0;
            slowFailed += outcome == SF ? 1 : 0;
        }

        return new WindowCounts(total, failed, slow, slowFailed);
    }
}
