using Microsoft.Extensions.Time.Testing;
using Breaker = Resilience.CircuitBreaker;
using static Resilience.Tests.CircuitBreaker.CircuitBreakerTestSupport;

namespace Resilience.Tests.CircuitBreaker;

public class CircuitBreakerClassificationTests
{
    private readonly FakeTimeProvider _time = new();

    private Breaker CreateWith(Action<CircuitBreakerOptions> configure)
    {
        CircuitBreakerOptions options = CountWindow(10, 10);
        configure(options);
        return Create(_time, options);
    }

    private Breaker HalfOpenWithOnePermit(Action<CircuitBreakerOptions> configure)
    {
        var options = new CircuitBreakerOptions { PermittedNumberOfCallsInHalfOpenState = 1, MinimumNumberOfCalls = 1 };
        configure(options);
        Breaker breaker = Create(_time, options);
        MoveTo(breaker, CircuitBreakerState.HalfOpen);
        return breaker;
    }

    private static void ShouldHaveRecorded(Breaker breaker, int failed, int successful)
    {
        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        metrics.NumberOfFailedCalls.Should().Be(failed);
        metrics.NumberOfSuccessfulCalls.Should().Be(successful);
        metrics.NumberOfBufferedCalls.Should().Be(failed + successful);
    }

    [Fact]
    public void RecordFailure_NoRecordRules_EveryExceptionIsFailure()
    {
        Breaker breaker = CreateWith(_ => { });

        breaker.RecordFailure(Fast, new InvalidOperationException());
        breaker.RecordFailure(Fast, new ArgumentNullException("x"));
        breaker.RecordFailure(Fast, new TimeoutException());
        breaker.RecordFailure(Fast, new OperationCanceledException());

        ShouldHaveRecorded(breaker, failed: 4, successful: 0);
    }

    [Fact]
    public void RecordFailure_RecordExceptionsType_MatchesSubclasses()
    {
        Breaker breaker = CreateWith(o => o.RecordExceptions.Add(typeof(IOException)));

        breaker.RecordFailure(Fast, new IOException());
        breaker.RecordFailure(Fast, new FileNotFoundException());
        breaker.RecordFailure(Fast, new DirectoryNotFoundException());

        ShouldHaveRecorded(breaker, failed: 3, successful: 0);
    }

    [Fact]
    public void RecordFailure_ExceptionMatchingNoRecordRule_CountsAsSuccess()
    {
        Breaker breaker = CreateWith(o => o.RecordExceptions.Add(typeof(IOException)));
        var events = new EventRecorder(breaker);

        breaker.RecordFailure(TimeSpan.FromMilliseconds(3), new InvalidOperationException());

        ShouldHaveRecorded(breaker, failed: 0, successful: 1);
        CircuitBreakerEvent success = events.Events.Should().ContainSingle().Which;
        success.EventType.Should().Be(CircuitBreakerEventType.Success);
        success.ElapsedDuration.Should().Be(TimeSpan.FromMilliseconds(3));
        success.Exception.Should().BeNull();
    }

    [Fact]
    public void Execute_ExceptionMatchingNoRecordRule_CountsAsSuccessAndIsRethrown()
    {
        Breaker breaker = CreateWith(o => o.RecordExceptionPredicate = ex => ex is TimeoutException);

        Action call = () => breaker.Execute(() => throw new InvalidOperationException("not recorded"));

        call.Should().Throw<InvalidOperationException>().WithMessage("not recorded");
        ShouldHaveRecorded(breaker, failed: 0, successful: 1);
    }

    [Fact]
    public void RecordFailure_IgnoredAndRecordedType_IgnoreWins()
    {
        Breaker breaker = CreateWith(o =>
        {
            o.RecordExceptions.Add(typeof(ArgumentException));
            o.IgnoreExceptions.Add(typeof(ArgumentException));
        });
        var events = new EventRecorder(breaker);
        var exception = new ArgumentException("both");

        breaker.RecordFailure(Fast, exception);

        ShouldHaveRecorded(breaker, failed: 0, successful: 0);
        CircuitBreakerEvent ignored = events.Events.Should().ContainSingle().Which;
        ignored.EventType.Should().Be(CircuitBreakerEventType.IgnoredError);
        ignored.Exception.Should().BeSameAs(exception);
    }

    [Fact]
    public void RecordFailure_IgnorePredicateAndRecordPredicateBothMatch_IgnoreWins()
    {
        Breaker breaker = CreateWith(o =>
        {
            o.RecordExceptionPredicate = _ => true;
            o.IgnoreExceptionPredicate = ex => ex.Message == "ignore me";
        });

        breaker.RecordFailure(Fast, new InvalidOperationException("ignore me"));
        breaker.RecordFailure(Fast, new InvalidOperationException("record me"));

        ShouldHaveRecorded(breaker, failed: 1, successful: 0);
    }

    [Fact]
    public void RecordFailure_IgnoreExceptionsType_MatchesSubclasses()
    {
        Breaker breaker = CreateWith(o => o.IgnoreExceptions.Add(typeof(ArgumentException)));

        breaker.RecordFailure(Fast, new ArgumentNullException("p"));
        breaker.RecordFailure(Fast, new ArgumentOutOfRangeException("p"));

        ShouldHaveRecorded(breaker, failed: 0, successful: 0);
    }

    [Fact]
    public void RecordFailure_IgnoreTypesOrPredicate_EitherIgnores()
    {
        Breaker breaker = CreateWith(o =>
        {
            o.IgnoreExceptions.Add(typeof(ArgumentException));
            o.IgnoreExceptionPredicate = ex => ex is TimeoutException;
        });

        breaker.RecordFailure(Fast, new ArgumentException("ignored"));
        breaker.RecordFailure(Fast, new TimeoutException());
        breaker.RecordFailure(Fast, new InvalidOperationException());

        ShouldHaveRecorded(breaker, failed: 1, successful: 0);
    }

    [Fact]
    public void RecordFailure_RecordTypesOrPredicate_EitherRecords()
    {
        Breaker breaker = CreateWith(o =>
        {
            o.RecordExceptions.Add(typeof(IOException));
            o.RecordExceptionPredicate = ex => ex.Message == "record me";
        });

        breaker.RecordFailure(Fast, new IOException("by type"));
        breaker.RecordFailure(Fast, new InvalidOperationException("record me"));
        breaker.RecordFailure(Fast, new InvalidOperationException("other"));

        ShouldHaveRecorded(breaker, failed: 2, successful: 1);
    }

    [Fact]
    public void RecordFailure_AggregateWithSingleInner_IsClassifiedByInner()
    {
        Breaker breaker = CreateWith(o =>
        {
            o.RecordExceptions.Add(typeof(IOException));
            o.IgnoreExceptions.Add(typeof(ArgumentException));
        });
        var events = new EventRecorder(breaker);
        var inner = new IOException("inner");

        breaker.RecordFailure(Fast, new AggregateException(inner));
        breaker.RecordFailure(Fast, new AggregateException(new ArgumentException("ignored inner")));

        ShouldHaveRecorded(breaker, failed: 1, successful: 0);
        events.OfType(CircuitBreakerEventType.Error).Should().ContainSingle().Which.Exception.Should().BeSameAs(inner);
        events.OfType(CircuitBreakerEventType.IgnoredError).Should().ContainSingle();
    }

    [Fact]
    public void RecordFailure_AggregateWithSeveralInner_IsNotUnwrapped()
    {
        Breaker breaker = CreateWith(o => o.RecordExceptions.Add(typeof(IOException)));

        breaker.RecordFailure(Fast, new AggregateException(new IOException(), new IOException()));

        ShouldHaveRecorded(breaker, failed: 0, successful: 1);
    }

    [Fact]
    public async Task ExecuteAsync_CallerTokenCancelledSynchronously_RecordsNothingAndReleasesPermit()
    {
        Breaker breaker = HalfOpenWithOnePermit(_ => { });
        var events = new EventRecorder(breaker);
        using var cts = new CancellationTokenSource();

        Func<Task> call = async () => await breaker.ExecuteAsync(ct =>
        {
            cts.Cancel();
            ct.ThrowIfCancellationRequested();
            return new ValueTask<int>(1);
        }, cts.Token);

        await call.Should().ThrowAsync<OperationCanceledException>();
        breaker.State.Should().Be(CircuitBreakerState.HalfOpen);
        breaker.GetMetrics().NumberOfBufferedCalls.Should().Be(0);
        events.Types.Should().NotContain(new[] { CircuitBreakerEventType.Error, CircuitBreakerEventType.Success });
        breaker.TryAcquirePermission(out _).Should().BeTrue("the permit came back");
    }

    [Fact]
    public async Task ExecuteAsync_CallerTokenCancelledAsynchronously_RecordsNothingAndReleasesPermit()
    {
        Breaker breaker = HalfOpenWithOnePermit(_ => { });
        using var cts = new CancellationTokenSource();

        Func<Task> call = () => breaker.ExecuteAsync(async ct =>
        {
            await Task.Yield();
            cts.Cancel();
            ct.ThrowIfCancellationRequested();
        }, cts.Token).AsTask();

        await call.Should().ThrowAsync<OperationCanceledException>();
        breaker.State.Should().Be(CircuitBreakerState.HalfOpen);
        breaker.GetMetrics().NumberOfBufferedCalls.Should().Be(0);
        breaker.TryAcquirePermission(out _).Should().BeTrue("the permit came back");
    }

    [Fact]
    public async Task ExecuteAsyncTask_CallerTokenCancelled_RecordsNothingAndReleasesPermit()
    {
        Breaker breaker = HalfOpenWithOnePermit(_ => { });
        using var cts = new CancellationTokenSource();
        var pending = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);

        Task<int> call = breaker.ExecuteAsync(_ => pending.Task, cts.Token);
        cts.Cancel();
        pending.SetCanceled(cts.Token);

        Func<Task> awaitCall = () => call;
        await awaitCall.Should().ThrowAsync<OperationCanceledException>();
        breaker.GetMetrics().NumberOfBufferedCalls.Should().Be(0);
        breaker.TryAcquirePermission(out _).Should().BeTrue("the permit came back");
    }

    [Fact]
    public async Task ExecuteAsync_OperationCanceledNotFromCallerToken_IsRecordedAsFailure()
    {
        Breaker breaker = HalfOpenWithOnePermit(_ => { });
        using var other = new CancellationTokenSource();
        other.Cancel();

        Func<Task> call = () => breaker.ExecuteAsync(async _ =>
        {
            await Task.Yield();
            other.Token.ThrowIfCancellationRequested();
            return 1;
        }, CancellationToken.None).AsTask();

        await call.Should().ThrowAsync<OperationCanceledException>();
        breaker.State.Should().Be(CircuitBreakerState.Open, "the single trial failed");
    }

    [Fact]
    public async Task ExecuteAsync_TimeoutStyleCancellationWithUncancelledCallerToken_IsRecordedAsFailure()
    {
        Breaker breaker = CreateWith(_ => { });
        using var caller = new CancellationTokenSource();

        Func<Task> call = () => breaker.ExecuteAsync(_ => Task.FromException(new TaskCanceledException("timed out")), caller.Token);

        await call.Should().ThrowAsync<TaskCanceledException>();
        ShouldHaveRecorded(breaker, failed: 1, successful: 0);
    }

    [Fact]
    public void Execute_SyncOperationCanceled_IsRecordedAsFailure()
    {
        Breaker breaker = CreateWith(_ => { });

        Action call = () => breaker.Execute(() => throw new OperationCanceledException());

        call.Should().Throw<OperationCanceledException>();
        ShouldHaveRecorded(breaker, failed: 1, successful: 0);
    }

    [Fact]
    public void Execute_ResultMatchesRecordResultPredicate_RecordsFailureAndReturnsResult()
    {
        Breaker breaker = CreateWith(o => o.RecordResultPredicate = r => r is -1);
        var events = new EventRecorder(breaker);

        int result = breaker.Execute(() => -1);
        int other = breaker.Execute(() => 7);

        result.Should().Be(-1);
        other.Should().Be(7);
        ShouldHaveRecorded(breaker, failed: 1, successful: 1);
        CircuitBreakerEvent error = events.OfType(CircuitBreakerEventType.Error).Should().ContainSingle().Which;
        ResultRecordedAsFailureException ex = error.Exception.Should().BeOfType<ResultRecordedAsFailureException>().Which;
        ex.Result.Should().Be(-1);
        ex.InstanceName.Should().Be("test");
        ex.Message.Should().Be("Circuit breaker 'test' has recorded '-1' as a failure.");
    }

    [Fact]
    public void RecordResult_MatchingResult_RecordsFailure()
    {
        Breaker breaker = CreateWith(o => o.RecordResultPredicate = r => r is string s && s.StartsWith("ERR", StringComparison.Ordinal));

        breaker.RecordResult(Fast, "ERR 500");
        breaker.RecordResult(Fast, "OK");

        ShouldHaveRecorded(breaker, failed: 1, successful: 1);
    }

    [Fact]
    public void Execute_NullResult_IsSuccessWithoutConsultingPredicate()
    {
        int consulted = 0;
        Breaker breaker = CreateWith(o => o.RecordResultPredicate = _ => { consulted++; return true; });

        breaker.Execute(() => (string?)null).Should().BeNull();
        breaker.RecordResult<object?>(Fast, null);

        consulted.Should().Be(0);
        ShouldHaveRecorded(breaker, failed: 0, successful: 2);
    }

    [Fact]
    public async Task ExecuteAsync_ResultMatchesRecordResultPredicate_RecordsFailure()
    {
        Breaker breaker = CreateWith(o => o.RecordResultPredicate = r => r is "bad");

        string a = await breaker.ExecuteAsync(async _ => { await Task.Yield(); return "bad"; });
        string b = await breaker.ExecuteAsync(_ => Task.FromResult("bad"));
        string c = await breaker.ExecuteAsync(_ => new ValueTask<string>("bad"));

        (a + b + c).Should().Be("badbadbad");
        ShouldHaveRecorded(breaker, failed: 3, successful: 0);
    }

    [Fact]
    public void Execute_VoidAction_DoesNotConsultRecordResultPredicate()
    {
        int consulted = 0;
        Breaker breaker = CreateWith(o => o.RecordResultPredicate = _ => { consulted++; return true; });

        breaker.Execute(() => { });

        consulted.Should().Be(0);
        ShouldHaveRecorded(breaker, failed: 0, successful: 1);
    }

    [Fact]
    public void RecordFailure_RecordPredicateThrowsInHalfOpen_ReleasesPermitAndPropagates()
    {
        Breaker breaker = HalfOpenWithOnePermit(o => o.RecordExceptionPredicate = _ => throw new FormatException("predicate failed"));
        CircuitBreakerPermit permit = breaker.Permit();

        Action record = () => permit.RecordFailure(new InvalidOperationException());

        record.Should().Throw<FormatException>().WithMessage("predicate failed");
        breaker.State.Should().Be(CircuitBreakerState.HalfOpen);
        breaker.GetMetrics().NumberOfBufferedCalls.Should().Be(0);
        breaker.TryAcquirePermission(out _).Should().BeTrue("the permit came back");
    }

    [Fact]
    public void Execute_IgnorePredicateThrowsInHalfOpen_ReleasesPermitAndPropagates()
    {
        Breaker breaker = HalfOpenWithOnePermit(o => o.IgnoreExceptionPredicate = _ => throw new FormatException("predicate failed"));

        Action call = () => breaker.Execute(() => throw new InvalidOperationException());

        call.Should().Throw<FormatException>();
        breaker.State.Should().Be(CircuitBreakerState.HalfOpen);
        breaker.TryAcquirePermission(out _).Should().BeTrue("the permit came back");
    }

    [Fact]
    public void RecordFailure_NullException_Throws()
    {
        Breaker breaker = CreateWith(_ => { });

        CircuitBreakerPermit permit = breaker.Permit();

        Action record = () => permit.RecordFailure(null!);

        record.Should().Throw<ArgumentNullException>();
        ShouldHaveRecorded(breaker, failed: 0, successful: 0);
    }

    [Fact]
    public void Execute_RecordResultPredicateThrowsInHalfOpen_ReleasesPermitAndPropagates()
    {
        Breaker breaker = HalfOpenWithOnePermit(o => o.RecordResultPredicate = _ => throw new FormatException("predicate failed"));

        Action call = () => breaker.Execute(() => 1);

        call.Should().Throw<FormatException>().WithMessage("predicate failed");
        breaker.State.Should().Be(CircuitBreakerState.HalfOpen);
        breaker.GetMetrics().NumberOfBufferedCalls.Should().Be(0);
        breaker.TryAcquirePermission(out _).Should().BeTrue("a throwing user predicate must not leak the half-open permit");
    }

    [Theory]
    [InlineData(typeof(BulkheadFullException))]
    [InlineData(typeof(RequestNotPermittedException))]
    [InlineData(typeof(CallNotPermittedException))]
    public void RecordFailure_DefaultOptionsRejectionOfAnotherLayer_IsIgnoredAndGivesTrialPermitBack(Type rejectionType)
    {
        var breaker = new Breaker("default", new CircuitBreakerOptions { PermittedNumberOfCallsInHalfOpenState = 1 }, _time);
        MoveTo(breaker, CircuitBreakerState.HalfOpen);
        var events = new EventRecorder(breaker);
        Exception rejection = rejectionType == typeof(BulkheadFullException) ? new BulkheadFullException("bulkhead")
            : rejectionType == typeof(RequestNotPermittedException) ? new RequestNotPermittedException("limiter")
            : new CallNotPermittedException("downstream", CircuitBreakerState.Open, null);

        CircuitBreakerCompletion completion = breaker.AcquirePermission().RecordFailure(rejection);

        completion.Outcome.Should().Be(CircuitBreakerCallOutcome.Ignored);
        events.Types.Should().Equal(CircuitBreakerEventType.IgnoredError);
        breaker.State.Should().Be(CircuitBreakerState.HalfOpen);
        breaker.GetMetrics().NumberOfBufferedCalls.Should().Be(0);
        breaker.TryAcquirePermission(out _).Should().BeTrue("the trial permit came back");
    }

    [Fact]
    public void RecordFailure_DefaultOptionsTimeLimiterTimeout_IsFailure()
    {
        var breaker = new Breaker("default", new CircuitBreakerOptions { SlidingWindowSize = 1, MinimumNumberOfCalls = 1 }, _time);

        CircuitBreakerCompletion completion = breaker.AcquirePermission().RecordFailure(new TimeLimiterTimeoutException("tl", TimeSpan.FromSeconds(1)));

        completion.Outcome.Should().Be(CircuitBreakerCallOutcome.Failure);
        breaker.State.Should().Be(CircuitBreakerState.Open, "a time-out is a failure of the dependency");
    }

    [Fact]
    public void RecordFailure_RejectionsRemovedFromIgnoreExceptions_AreFailuresAsInResilience4j()
    {
        Breaker breaker = CreateWith(o => o.IgnoreExceptions.Clear());

        breaker.AcquirePermission().RecordFailure(new BulkheadFullException("bulkhead")).Outcome.Should().Be(CircuitBreakerCallOutcome.Failure);
        breaker.AcquirePermission().RecordFailure(new RequestNotPermittedException("limiter")).Outcome.Should().Be(CircuitBreakerCallOutcome.Failure);

        ShouldHaveRecorded(breaker, failed: 2, successful: 0);
    }

    [Fact]
    public async Task ExecuteAsync_FullBulkheadInsideTheBreaker_DoesNotOpenTheBreaker()
    {
        var breaker = new Breaker("outer", new CircuitBreakerOptions { SlidingWindowSize = 1, MinimumNumberOfCalls = 1 }, _time);
        var bulkhead = new Resilience.Bulkhead("inner", new BulkheadOptions { MaxConcurrentCalls = 0 }, _time);

        Func<Task> call = async () => await breaker.ExecuteAsync(
            static (b, ct) => b.ExecuteAsync(static (_, _) => new ValueTask<int>(1), 0, ct), bulkhead);

        await call.Should().ThrowAsync<BulkheadFullException>();
        breaker.State.Should().Be(CircuitBreakerState.Closed, "a full bulkhead says nothing about the dependency");
        breaker.GetMetrics().NumberOfBufferedCalls.Should().Be(0);
    }
}
