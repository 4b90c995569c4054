using Microsoft.Extensions.Time.Testing;
using static Resilience.Tests.Retry.RetryTestSupport;
using RetryPrimitive = Resilience.Retry;

namespace Resilience.Tests.Retry;

public class RetryExecuteTests
{
    [Fact]
    public void Execute_FirstAttemptSucceeds_CallsOnce()
    {
        RetryPrimitive retry = NoWait();
        int calls = 0;

        retry.Execute(() => ++calls).Should().Be(1);
        calls.Should().Be(1);
    }

    [Fact]
    public void Execute_FailsThenSucceeds_ReturnsResult()
    {
        RetryPrimitive retry = NoWait();

        retry.Execute(FailThenReturn(2)).Should().Be(42);
    }

    [Fact]
    public void Execute_AlwaysFails_RethrowsLastExceptionAfterMaxAttempts()
    {
        RetryPrimitive retry = NoWait(maxAttempts: 4);

        Action call = () => retry.Execute(FailThenReturn(10));

        call.Should().Throw<InvalidOperationException>().WithMessage("attempt 4");
    }

    [Fact]
    public void Execute_MaxAttemptsOne_NeverRetries()
    {
        RetryPrimitive retry = NoWait(maxAttempts: 1);

        Action call = () => retry.Execute(FailThenReturn(1));

        call.Should().Throw<InvalidOperationException>().WithMessage("attempt 1");
    }

    [Fact]
    public void Execute_Exception_KeepsOriginalStackTrace()
    {
        RetryPrimitive retry = NoWait(maxAttempts: 1);

        Action call = () => retry.Execute(ThrowingHelper);

        call.Should().Throw<InvalidOperationException>().Which.StackTrace.Should().Contain(nameof(ThrowingHelper));
    }

    [Fact]
    public void Execute_ActionAndStateOverloads_RetryToo()
    {
        RetryPrimitive retry = NoWait();
        int calls = 0;
        var counter = new int[1];

        retry.Execute(() => { if (++calls < 3) { throw new InvalidOperationException(); } });
        retry.Execute(static c => { if (++c[0] < 2) { throw new InvalidOperationException(); } }, counter);
        int result = retry.Execute(static c => c[0], counter);

        calls.Should().Be(3);
        counter[0].Should().Be(2);
        result.Should().Be(2);
    }

    [Fact]
    public void Execute_NullDelegates_Throw()
    {
        RetryPrimitive retry = NoWait();

        FluentActions.Invoking(() => retry.Execute(null!)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => retry.Execute<int>(null!)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => retry.Execute<int>((Action<int>)null!, 1)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => retry.Execute<int, int>(null!, 1)).Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void Execute_RetryExceptions_RetriesOnlyThoseAndSubclasses()
    {
        RetryPrimitive retry = NoWait(configure: o => o.RetryExceptions.Add(typeof(IOException)));

        retry.Execute(FailThenReturn(2, exception: () => new FileNotFoundException())).Should().Be(42);
        Action other = () => retry.Execute(FailThenReturn(1, exception: () => new TimeoutException("once")));
        other.Should().Throw<TimeoutException>().WithMessage("once");
    }

    [Fact]
    public void Execute_Predicate_RetriesMatches()
    {
        RetryPrimitive retry = NoWait(configure: o => o.RetryExceptionPredicate = ex => ex.Message == "transient");

        retry.Execute(FailThenReturn(2, exception: () => new InvalidOperationException("transient"))).Should().Be(42);
        Action other = () => retry.Execute(FailThenReturn(1, exception: () => new InvalidOperationException("fatal")));
        other.Should().Throw<InvalidOperationException>().WithMessage("fatal");
    }

    [Fact]
    public void Execute_PredicateAndTypes_AreCombinedByOr()
    {
        RetryPrimitive retry = NoWait(configure: o =>
        {
            o.RetryExceptions.Add(typeof(TimeoutException));
            o.RetryExceptionPredicate = ex => ex is IOException;
        });

        retry.Execute(FailThenReturn(2, exception: () => new TimeoutException())).Should().Be(42);
        retry.Execute(FailThenReturn(2, exception: () => new IOException())).Should().Be(42);
        FluentActions.Invoking(() => retry.Execute(FailThenReturn(1))).Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public void Execute_IgnoreExceptions_WinOverTypesAndPredicate()
    {
        int predicateCalls = 0;
        RetryPrimitive retry = NoWait(configure: o =>
        {
            o.RetryExceptions.Add(typeof(IOException));
            o.RetryExceptionPredicate = _ => { predicateCalls++; return true; };
            o.IgnoreExceptions.Add(typeof(FileNotFoundException));
        });

        Action ignored = () => retry.Execute(FailThenReturn(1, exception: () => new FileNotFoundException("ignored")));

        ignored.Should().Throw<FileNotFoundException>().WithMessage("ignored");
        predicateCalls.Should().Be(0, "the ignore list is checked first");
        retry.Execute(FailThenReturn(1, exception: () => new IOException())).Should().Be(42);
    }

    [Fact]
    public void Execute_IgnoreExceptionsOnly_RetriesEverythingElse()
    {
        RetryPrimitive retry = NoWait(configure: o => o.IgnoreExceptions.Add(typeof(ArgumentException)));

        retry.Execute(FailThenReturn(2)).Should().Be(42);
        FluentActions.Invoking(() => retry.Execute(FailThenReturn(1, exception: () => new ArgumentNullException("x"))))
            .Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void Execute_OperationCanceledException_IsOrdinaryInSyncOverloads()
    {
        RetryPrimitive retry = NoWait();

        retry.Execute(FailThenReturn(2, exception: () => new OperationCanceledException())).Should().Be(42);
    }

    [Fact]
    public void Execute_RetryableResult_RetriesUntilAcceptable()
    {
        RetryPrimitive retry = NoWait(configure: o => o.RetryResultPredicate = r => (int)r! < 0);
        int calls = 0;

        retry.Execute(() => ++calls < 3 ? -1 : calls).Should().Be(3);
    }

    [Fact]
    public void Execute_RetryableResultExhausted_ReturnsLastResult()
    {
        RetryPrimitive retry = NoWait(configure: o => o.RetryResultPredicate = r => (int)r! < 0);
        int calls = 0;

        retry.Execute(() => -++calls).Should().Be(-3);
    }

    [Fact]
    public void Execute_NullResult_IsPassedToThePredicate()
    {
        RetryPrimitive retry = NoWait(configure: o => o.RetryResultPredicate = r => r is null);
        int calls = 0;

        retry.Execute(() => ++calls < 2 ? null : "ok").Should().Be("ok");
    }

    [Fact]
    public void Execute_FailAfterMaxAttempts_ThrowsAndDisposesTheLastResult()
    {
        RetryPrimitive retry = NoWait(configure: o =>
        {
            o.RetryResultPredicate = r => ((Disposable)r!).Value < 0;
            o.FailAfterMaxAttempts = true;
        });
        var results = new List<Disposable>();

        Action call = () => retry.Execute(() => { var d = new Disposable(-1); results.Add(d); return d; });

        MaxRetriesExceededException thrown = call.Should().Throw<MaxRetriesExceededException>().Which;
        thrown.Message.Should().Be("Retry 'test' has exhausted all attempts (3).");
        thrown.RetryName.Should().Be("test");
        thrown.InstanceName.Should().Be("test");
        thrown.NumberOfAttempts.Should().Be(3);
        results.Should().HaveCount(3).And.OnlyContain(d => d.Disposed);
    }

    [Fact]
    public void Execute_FailAfterMaxAttemptsAndLastAttemptThrew_RethrowsTheException()
    {
        RetryPrimitive retry = NoWait(configure: o =>
        {
            o.RetryResultPredicate = r => (int)r! < 0;
            o.FailAfterMaxAttempts = true;
        });
        int calls = 0;

        Action call = () => retry.Execute(() => ++calls < 3 ? -1 : throw new TimeoutException("last"));

        call.Should().Throw<TimeoutException>().WithMessage("last");
    }

    [Fact]
    public void Execute_RetriedDisposableResult_IsDisposedButTheReturnedOneIsNot()
    {
        RetryPrimitive retry = NoWait(configure: o => o.RetryResultPredicate = r => ((Disposable)r!).Value < 0);
        var results = new List<Disposable>();
        int calls = 0;

        Disposable returned = retry.Execute(() => { var d = new Disposable(++calls < 3 ? -1 : 1); results.Add(d); return d; });

        results.Should().HaveCount(3);
        results[0].Disposed.Should().BeTrue();
        results[1].Disposed.Should().BeTrue();
        returned.Should().BeSameAs(results[2]);
        returned.Disposed.Should().BeFalse();
    }

    [Fact]
    public void Execute_ExhaustedDisposableResultWithoutFailAfterMaxAttempts_IsReturnedUndisposed()
    {
        RetryPrimitive retry = NoWait(maxAttempts: 2, configure: o => o.RetryResultPredicate = _ => true);

        retry.Execute(() => new Disposable(1)).Disposed.Should().BeFalse();
    }

    [Fact]
    public async Task Execute_SyncWait_BlocksOnTheTimeProviderTimer()
    {
        var time = new FakeTimeProvider();
        var retry = new RetryPrimitive("sync", new RetryOptions { WaitDuration = TimeSpan.FromSeconds(2) }, time);
        using var retrying = new SemaphoreSlim(0);
        retry.Events.Retry += _ => retrying.Release();
        Func<int> func = FailThenReturn(2);

        Task<int> call = Task.Factory.StartNew(() => retry.Execute(func), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        retrying.Wait(SafetyTimeout).Should().BeTrue("the first attempt fails and the wait starts");
        time.Advance(TimeSpan.FromMilliseconds(1999));
        call.IsCompleted.Should().BeFalse("the timer has not fired");
        retrying.CurrentCount.Should().Be(0);
        time.Advance(TimeSpan.FromMilliseconds(1));
        retrying.Wait(SafetyTimeout).Should().BeTrue("the second attempt fails and the second wait starts");
        time.Advance(TimeSpan.FromSeconds(2));
        (await call.WaitAsync(SafetyTimeout)).Should().Be(42);
    }

    [Fact]
    public void Execute_ZeroWait_DoesNotNeedTheClock()
    {
        var retry = new RetryPrimitive("zero", new RetryOptions { WaitDuration = TimeSpan.Zero, MaxAttempts = 5 }, new FakeTimeProvider());

        retry.Execute(FailThenReturn(4)).Should().Be(42);
    }

    [Fact]
    public async Task Execute_SuccessiveCallsWithDecorrelatedJitter_EachStartFromFreshState()
    {
        // Same randomness for every call: each call's jitter state starts at 0, so every call sees the same waits.
        RetryPrimitive retry = NoWait(configure: o =>
        {
            o.WaitDuration = TimeSpan.FromSeconds(1);
            o.BackoffType = RetryBackoffType.DecorrelatedJitter;
        }, random: () => 0.0);
        var waits = new List<TimeSpan>();
        retry.Events.Retry += e => { lock (waits) { waits.Add(e.WaitDuration); } };
        var time = (FakeTimeProvider)retry.TimeProvider;

        for (int i = 0; i < 2; i++)
        {
            Task<int> call = Task.Factory.StartNew(() => retry.Execute(FailThenReturn(2)), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            int expected = (2 * i) + 2;
            WaitUntil(() => { lock (waits) { return waits.Count == expected; } }, "the second wait starts");
            time.Advance(TimeSpan.FromDays(1));
            (await call.WaitAsync(SafetyTimeout)).Should().Be(42);
        }

        waits.Should().HaveCount(4);
        waits[2].Should().Be(waits[0]);
        waits[3].Should().Be(waits[1]);
        waits[0].Should().Be(TimeSpan.Zero, "t = 0 gives 0");
        waits[1].Ticks.Should().BeCloseTo((long)(2 * Math.Tanh(2) / 1.4 * TimeSpan.TicksPerSecond), 1);
    }

    public static TheoryData<Exception> OwnRejections() => new()
    {
        new CallNotPermittedException("breaker", CircuitBreakerState.Open, null),
        new BulkheadFullException("bulkhead"),
        new RequestNotPermittedException("limiter"),
    };

    [Theory]
    [MemberData(nameof(OwnRejections))]
    public void Execute_RejectionOfOwnLayerByDefault_IsNotRetried(Exception rejection)
    {
        RetryPrimitive retry = NoWait();
        List<RetryEvent> events = retry.Record();
        int calls = 0;

        Action call = () => retry.Execute(() => { calls++; throw rejection; });

        call.Should().Throw<Exception>().Which.Should().BeSameAs(rejection);
        calls.Should().Be(1);
        events.Should().ContainSingle().Which.EventType.Should().Be(RetryEventType.IgnoredError);
        retry.GetMetrics().Should().Be(Metrics(failedWithout: 1, attempts: 1));
    }

    [Fact]
    public void Execute_TimeLimiterTimeoutByDefault_IsRetried()
    {
        RetryPrimitive retry = NoWait();

        retry.Execute(FailThenReturn(2, exception: () => new TimeLimiterTimeoutException("limiter", TimeSpan.FromSeconds(1)))).Should().Be(42);
    }

    [Theory]
    [MemberData(nameof(OwnRejections))]
    public void Execute_RejectionWithExplicitRetryRule_IsRetried(Exception rejection)
    {
        RetryPrimitive byPredicate = NoWait(configure: o => o.RetryExceptionPredicate = _ => true);
        RetryPrimitive byType = NoWait(configure: o => o.RetryExceptions.Add(typeof(ResilienceException)));

        byPredicate.Execute(FailThenReturn(2, exception: () => rejection)).Should().Be(42);
        byType.Execute(FailThenReturn(2, exception: () => rejection)).Should().Be(42);
    }

    [Fact]
    public async Task ConsumeResultBeforeRetryAttempt_Custom_SeesEachRetriedResultButNotTheReturnedOne()
    {
        var consumed = new List<(int Attempt, object? Result)>();
        RetryPrimitive retry = NoWait(maxAttempts: 4, configure: o =>
        {
            o.RetryResultPredicate = r => (int)r! < 0;
            o.ConsumeResultBeforeRetryAttempt = (attempt, result) => consumed.Add((attempt, result));
        });
        int calls = 0;
        int asyncCalls = 0;

        retry.Execute(() => ++calls < 3 ? -calls : calls).Should().Be(3);
        (await retry.ExecuteAsync(_ => new ValueTask<int>(++asyncCalls < 2 ? -10 : 10))).Should().Be(10);

        consumed.Should().Equal((1, (object?)(-1)), (2, (object?)(-2)), (1, (object?)(-10)));
    }

    [Fact]
    public void ConsumeResultBeforeRetryAttempt_Null_LeavesRetriedResultsUndisposed()
    {
        RetryPrimitive retry = NoWait(configure: o =>
        {
            o.RetryResultPredicate = r => ((Disposable)r!).Value < 0;
            o.ConsumeResultBeforeRetryAttempt = null;
        });
        var results = new List<Disposable>();
        int calls = 0;

        retry.Execute(() => { var d = new Disposable(++calls < 2 ? -1 : 1); results.Add(d); return d; });

        results.Should().HaveCount(2).And.OnlyContain(d => !d.Disposed);
    }

    [Fact]
    public void ConsumeResultBeforeRetryAttempt_Default_DisposesAfterTheRetryEventHandlers()
    {
        RetryPrimitive retry = NoWait(configure: o => o.RetryResultPredicate = r => ((Disposable)r!).Value < 0);
        var disposedWhenAnnounced = new List<bool>();
        retry.Events.Retry += e => disposedWhenAnnounced.Add(((Disposable)e.Result!).Disposed);
        int calls = 0;

        retry.Execute(() => new Disposable(++calls < 2 ? -1 : 1));

        new RetryOptions().ConsumeResultBeforeRetryAttempt.Should().NotBeNull("the default disposes");
        disposedWhenAnnounced.Should().Equal(false);
    }

    private static int ThrowingHelper() => throw new InvalidOperationException("helper");
}
