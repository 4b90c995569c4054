using static Resilience.Tests.Retry.RetryTestSupport;
using RetryPrimitive = Resilience.Retry;

namespace Resilience.Tests.Retry;

public class RetryMetricsTests
{
    [Fact]
    public void GetMetrics_New_IsZero()
    {
        NoWait().GetMetrics().Should().Be(default(RetryMetrics));
    }

    [Fact]
    public void GetMetrics_SuccessOnFirstAttempt_CountsOneAttempt()
    {
        RetryPrimitive retry = NoWait();

        retry.Execute(() => 1);

        retry.GetMetrics().Should().Be(Metrics(successWithout: 1, attempts: 1));
    }

    [Fact]
    public void GetMetrics_TwoFailuresThenSuccess_CountsThreeAttempts()
    {
        RetryPrimitive retry = NoWait();

        retry.Execute(FailThenReturn(2));

        retry.GetMetrics().Should().Be(Metrics(successWith: 1, attempts: 3));
    }

    [Fact]
    public void GetMetrics_ExhaustedByExceptions_CountsFailedWithRetry()
    {
        RetryPrimitive retry = NoWait(maxAttempts: 5);

        FluentActions.Invoking(() => retry.Execute(FailThenReturn(9))).Should().Throw<InvalidOperationException>();

        retry.GetMetrics().Should().Be(Metrics(failedWith: 1, attempts: 5));
    }

    [Fact]
    public void GetMetrics_ExhaustedByResults_CountsTheLastAttemptOnce()
    {
        // Resilience4j counts 4 attempts here (the last one in onResult and again in onComplete); we count 3.
        RetryPrimitive retry = NoWait(configure: o => o.RetryResultPredicate = _ => true);

        retry.Execute(() => 1);

        retry.GetMetrics().Should().Be(Metrics(failedWith: 1, attempts: 3));
    }

    [Fact]
    public void GetMetrics_ExhaustedByResultsWithFailAfterMaxAttempts_CountsFailedWithRetry()
    {
        RetryPrimitive retry = NoWait(configure: o => { o.RetryResultPredicate = _ => true; o.FailAfterMaxAttempts = true; });

        FluentActions.Invoking(() => retry.Execute(() => 1)).Should().Throw<MaxRetriesExceededException>();

        retry.GetMetrics().Should().Be(Metrics(failedWith: 1, attempts: 3));
    }

    [Fact]
    public void GetMetrics_NonRetryableOnFirstAttempt_CountsFailedWithoutRetry()
    {
        RetryPrimitive retry = NoWait(configure: o => o.IgnoreExceptions.Add(typeof(InvalidOperationException)));

        FluentActions.Invoking(() => retry.Execute(FailThenReturn(1))).Should().Throw<InvalidOperationException>();

        retry.GetMetrics().Should().Be(Metrics(failedWithout: 1, attempts: 1));
    }

    [Fact]
    public void GetMetrics_NonRetryableAfterRetries_CountsFailedWithRetry()
    {
        // Resilience4j counts this call as failed *without* retry although it retried twice.
        RetryPrimitive retry = NoWait(maxAttempts: 5, configure: o => o.IgnoreExceptions.Add(typeof(ArgumentException)));
        int calls = 0;
        Func<int> func = () => throw (++calls < 3 ? new InvalidOperationException() : new ArgumentException("fatal"));

        FluentActions.Invoking(() => retry.Execute(func))
            .Should().Throw<ArgumentException>();

        retry.GetMetrics().Should().Be(Metrics(failedWith: 1, attempts: 3));
    }

    [Fact]
    public void GetMetrics_MaxAttemptsOneAndRetryableFailure_CountsFailedWithoutRetry()
    {
        // Resilience4j counts this call as failed *with* retry although it made a single attempt.
        RetryPrimitive retry = NoWait(maxAttempts: 1);

        FluentActions.Invoking(() => retry.Execute(FailThenReturn(1))).Should().Throw<InvalidOperationException>();

        retry.GetMetrics().Should().Be(Metrics(failedWithout: 1, attempts: 1));
    }

    [Fact]
    public void GetMetrics_MaxAttemptsOneAndRetryableResult_CountsFailedWithoutRetry()
    {
        RetryPrimitive retry = NoWait(maxAttempts: 1, configure: o => o.RetryResultPredicate = _ => true);

        retry.Execute(() => 1).Should().Be(1);

        retry.GetMetrics().Should().Be(Metrics(failedWithout: 1, attempts: 1));
    }

    [Fact]
    public void GetMetrics_StoppedByNegativeInterval_CountsFailedWithRetry()
    {
        RetryPrimitive retry = NoWait(maxAttempts: 5, configure: o => o.IntervalFunction = a => a.AttemptNumber == 2 ? TimeSpan.FromTicks(-1) : null);

        FluentActions.Invoking(() => retry.Execute(FailThenReturn(9))).Should().Throw<InvalidOperationException>().WithMessage("attempt 2");

        retry.GetMetrics().Should().Be(Metrics(failedWith: 1, attempts: 2));
    }

    [Fact]
    public async Task GetMetrics_Mixed_AddsUp()
    {
        RetryPrimitive retry = NoWait(configure: o => o.IgnoreExceptions.Add(typeof(ArgumentException)));

        retry.Execute(() => 1);
        await retry.ExecuteAsync(_ => ValueTask.FromResult(1));
        await retry.ExecuteAsync(_ => ValueTask.CompletedTask);
        retry.Execute(FailThenReturn(1));
        FluentActions.Invoking(() => retry.Execute(FailThenReturn(3))).Should().Throw<InvalidOperationException>();
        FluentActions.Invoking(() => retry.Execute(FailThenReturn(1, exception: () => new ArgumentException()))).Should().Throw<ArgumentException>();

        retry.GetMetrics().Should().Be(Metrics(successWithout: 3, successWith: 1, failedWithout: 1, failedWith: 1, attempts: 3 + 2 + 3 + 1));
    }
}
