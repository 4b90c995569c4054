using Microsoft.Extensions.Time.Testing;
using static Resilience.Tests.Retry.RetryTestSupport;
using RetryPrimitive = Resilience.Retry;

namespace Resilience.Tests.Retry;

/// <summary>The built-in backoffs and the interval function, seen through the waits a retry announces.</summary>
public class RetryBackoffTests
{
    private static TimeSpan Ms(long ms) => TimeSpan.FromMilliseconds(ms);

    private static RetryPrimitive Create(Action<RetryOptions> configure, Func<double>? random = null)
    {
        var options = new RetryOptions { MaxAttempts = 5 };
        configure(options);
        return new RetryPrimitive("backoff", options, new FakeTimeProvider(), random ?? (() => 0.0));
    }

    /// <summary>Runs a call that always fails and collects the wait announced before each retry, advancing the clock through each wait.</summary>
    private static async Task<List<TimeSpan>> Waits(RetryPrimitive retry)
    {
        var waits = new List<TimeSpan>();
        var time = (FakeTimeProvider)retry.TimeProvider;
        retry.Events.Retry += e => { lock (waits) { waits.Add(e.WaitDuration); } };
        Task<int> call = retry.ExecuteAsync<int>(_ => throw new InvalidOperationException()).AsTask();
        for (int announced = 1; !call.IsCompleted; announced++)
        {
            // The retry event is published once the wait's timer exists, so advancing after it always ends that wait.
            WaitUntil(() => call.IsCompleted || Count(waits) >= announced, "the next wait starts or the call ends");
            time.Advance(TimeSpan.FromDays(50));
        }

        Func<Task> completion = () => call.WaitAsync(SafetyTimeout);
        await completion.Should().ThrowAsync<InvalidOperationException>();
        return waits;
    }

    private static int Count(List<TimeSpan> waits)
    {
        lock (waits)
        {
            return waits.Count;
        }
    }

    [Fact]
    public async Task Constant_SameWaitEveryTime()
    {
        (await Waits(Create(o => o.WaitDuration = Ms(200)))).Should().Equal(Ms(200), Ms(200), Ms(200), Ms(200));
    }

    [Fact]
    public async Task Constant_SubMillisecondPart_IsTruncated()
    {
        (await Waits(Create(o => o.WaitDuration = TimeSpan.FromTicks(2_509_999)))).Should().OnlyContain(w => w == Ms(250));
    }

    [Fact]
    public async Task Constant_MaxWaitDuration_Caps()
    {
        (await Waits(Create(o => { o.WaitDuration = Ms(200); o.MaxWaitDuration = Ms(150); }))).Should().OnlyContain(w => w == Ms(150));
    }

    [Fact]
    public async Task Exponential_UsesMultiplierAndCap()
    {
        (await Waits(Create(o => { o.BackoffType = RetryBackoffType.Exponential; o.MaxWaitDuration = Ms(1500); })))
            .Should().Equal(Ms(500), Ms(750), Ms(1125), Ms(1500));
        (await Waits(Create(o => { o.BackoffType = RetryBackoffType.Exponential; o.Multiplier = 3; o.WaitDuration = Ms(10); })))
            .Should().Equal(Ms(10), Ms(30), Ms(90), Ms(270));
    }

    [Fact]
    public async Task ExponentialRandom_RandomisesEachExponentialStep()
    {
        (await Waits(Create(o => o.BackoffType = RetryBackoffType.ExponentialRandom, Sequence(0.0, 0.5, 0.0, 0.9999999))))
            .Should().Equal(Ms(250), Ms(750), Ms(562), Ms(2531)); // 843.5 + 0.9999999 × 1688
    }

    [Fact]
    public async Task Randomized_UsesFactor()
    {
        (await Waits(Create(o => { o.BackoffType = RetryBackoffType.Randomized; o.RandomizationFactor = 0.2; o.WaitDuration = Ms(1000); }, Sequence(0.0, 0.9999999))))
            .Should().Equal(Ms(800), Ms(1200), Ms(800), Ms(1200));
    }

    [Fact]
    public async Task DecorrelatedJitter_CarriesStateAcrossTheAttemptsOfOneCall()
    {
        double state = 0;
        Func<double> expectedRandom = Sequence(0.5, 0.25, 0.75, 0.0);
        var expected = Enumerable.Range(1, 4)
            .Select(a => IntervalFunctions.DecorrelatedJitter(a, TimeSpan.FromSeconds(1), ref state, null, expectedRandom)).ToList();

        List<TimeSpan> waits = await Waits(Create(o => { o.BackoffType = RetryBackoffType.DecorrelatedJitter; o.WaitDuration = TimeSpan.FromSeconds(1); }, Sequence(0.5, 0.25, 0.75, 0.0)));

        waits.Should().Equal(expected);
        waits[2].Ticks.Should().BeCloseTo(31_319_993, 1, "the third wait depends on the second attempt's state");
    }

    [Fact]
    public async Task ZeroWait_IsZeroForEveryType()
    {
        foreach (RetryBackoffType type in Enum.GetValues<RetryBackoffType>())
        {
            (await Waits(Create(o => { o.BackoffType = type; o.WaitDuration = TimeSpan.Zero; }, () => 0.9))).Should().OnlyContain(w => w == TimeSpan.Zero);
        }
    }

    [Fact]
    public async Task IntervalFunction_SeesAttemptAndException()
    {
        var seen = new List<RetryIntervalArguments>();
        RetryPrimitive retry = Create(o => o.IntervalFunction = a => { seen.Add(a); return null; });

        await Waits(retry);

        seen.Select(a => a.AttemptNumber).Should().Equal(1, 2, 3, 4);
        seen.Should().OnlyContain(a => a.Exception is InvalidOperationException && a.Result == null);
    }

    [Fact]
    public async Task IntervalFunction_ServerHint_IsHonouredUncappedAndNullFallsBackToTheBackoff()
    {
        RetryPrimitive retry = Create(o =>
        {
            o.BackoffType = RetryBackoffType.Exponential;
            o.MaxWaitDuration = Ms(600);
            o.IntervalFunction = a => a.AttemptNumber == 2 ? TimeSpan.FromSeconds(30) : null;
        });

        (await Waits(retry)).Should().Equal(Ms(500), TimeSpan.FromSeconds(30), Ms(600), Ms(600));
    }

    [Fact]
    public async Task IntervalFunction_HugeHint_IsClampedToTheLongestTimerWait()
    {
        (await Waits(Create(o => o.IntervalFunction = _ => TimeSpan.FromDays(400)))).Should().OnlyContain(w => w == RetryConstants.MaximumWait);
    }

    [Fact]
    public async Task IntervalFunction_ResultHint_SeesTheBoxedResult()
    {
        var time = new FakeTimeProvider();
        var retry = new RetryPrimitive("hint", new RetryOptions
        {
            RetryResultPredicate = r => r is 503,
            IntervalFunction = a => a.Result is 503 ? TimeSpan.FromSeconds(7) : null,
        }, time);
        var waits = new List<TimeSpan>();
        retry.Events.Retry += e => waits.Add(e.WaitDuration);
        int calls = 0;

        ValueTask<int> call = retry.ExecuteAsync(_ => ValueTask.FromResult(++calls < 2 ? 503 : 200));
        time.Advance(TimeSpan.FromSeconds(7));

        (await call.AsTask().WaitAsync(SafetyTimeout)).Should().Be(200);
        waits.Should().Equal(TimeSpan.FromSeconds(7));
    }

    [Fact]
    public async Task IntervalFunction_NegativeOnResult_StopsAndReturnsOrFails()
    {
        RetryPrimitive returning = NoWait(maxAttempts: 5, configure: o => { o.RetryResultPredicate = _ => true; o.IntervalFunction = _ => TimeSpan.FromSeconds(-1); });
        RetryPrimitive failing = NoWait(maxAttempts: 5, configure: o =>
        {
            o.RetryResultPredicate = _ => true;
            o.IntervalFunction = _ => TimeSpan.FromSeconds(-1);
            o.FailAfterMaxAttempts = true;
        });
        List<RetryEvent> events = returning.Record();
        int calls = 0;

        returning.Execute(() => ++calls).Should().Be(1);
        FluentActions.Invoking(() => failing.Execute(() => 1)).Should().Throw<MaxRetriesExceededException>().Which.NumberOfAttempts.Should().Be(1);

        events.Should().ContainSingle().Which.EventType.Should().Be(RetryEventType.Error);
        returning.GetMetrics().Should().Be(Metrics(failedWithout: 1, attempts: 1));
    }

    [Fact]
    public async Task IntervalFunction_NegativeOnException_StopsWithTheException()
    {
        RetryPrimitive retry = NoWait(maxAttempts: 5, configure: o => o.IntervalFunction = a => a.AttemptNumber >= 3 ? TimeSpan.FromTicks(-1) : TimeSpan.Zero);
        List<RetryEvent> events = retry.Record();

        FluentActions.Invoking(() => retry.Execute(FailThenReturn(9))).Should().Throw<InvalidOperationException>().WithMessage("attempt 3");

        events.Select(e => e.EventType).Should().Equal(RetryEventType.Retry, RetryEventType.Retry, RetryEventType.Error);
    }
}
