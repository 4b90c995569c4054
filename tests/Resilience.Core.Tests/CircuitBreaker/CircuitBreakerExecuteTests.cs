using Microsoft.Extensions.Time.Testing;
using Breaker = Resilience.CircuitBreaker;
using static Resilience.Tests.CircuitBreaker.CircuitBreakerTestSupport;

namespace Resilience.Tests.CircuitBreaker;

public class CircuitBreakerExecuteTests
{
    private const string State = "the-state";
    private readonly FakeTimeProvider _time = new();

    public enum Overload
    {
        ValueTaskOfT,
        ValueTaskOfTWithState,
        ValueTask,
        ValueTaskWithState,
        TaskOfT,
        TaskOfTWithState,
        Task,
        TaskWithState,
    }

    public enum Completion
    {
        Synchronous,
        Asynchronous,
    }

    private static async ValueTask<int> BodyAsync(bool fail, Completion completion, string? state, List<string?> seen)
    {
        seen.Add(state);
        if (completion == Completion.Asynchronous)
        {
            await Task.Yield();
        }

        return fail ? throw new TimeoutException("async body failed") : 7;
    }

    private static ValueTask<int> Body(bool fail, Completion completion, string? state, List<string?> seen)
    {
        if (completion == Completion.Synchronous)
        {
            seen.Add(state);
            return fail ? ValueTask.FromException<int>(new TimeoutException("sync body failed")) : new ValueTask<int>(7);
        }

        return BodyAsync(fail, completion, state, seen);
    }

    /// <summary>Calls <paramref name="overload"/> and returns the whole call as a task.</summary>
    private static Task Invoke(Breaker breaker, Overload overload, bool fail, Completion completion, List<string?> seen) => overload switch
    {
        Overload.ValueTaskOfT => breaker.ExecuteAsync(_ => Body(fail, completion, null, seen)).AsTask(),
        Overload.ValueTaskOfTWithState => breaker.ExecuteAsync((s, _) => Body(fail, completion, s, seen), State).AsTask(),
        Overload.ValueTask => breaker.ExecuteAsync(_ => new ValueTask(Body(fail, completion, null, seen).AsTask())).AsTask(),
        Overload.ValueTaskWithState => breaker.ExecuteAsync((s, _) => new ValueTask(Body(fail, completion, s, seen).AsTask()), State).AsTask(),
        Overload.TaskOfT => breaker.ExecuteAsync(_ => Body(fail, completion, null, seen).AsTask()),
        Overload.TaskOfTWithState => breaker.ExecuteAsync((s, _) => new ValueTask<int>(Body(fail, completion, s, seen).AsTask()), State).AsTask(),
        Overload.Task => breaker.ExecuteAsync(_ => (Task)Body(fail, completion, null, seen).AsTask()),
        Overload.TaskWithState => breaker.ExecuteAsync((s, _) => new ValueTask((Task)Body(fail, completion, s, seen).AsTask()), State).AsTask(),
        _ => throw new ArgumentOutOfRangeException(nameof(overload)),
    };

    private static bool HasState(Overload overload) => overload.ToString().EndsWith("WithState", StringComparison.Ordinal);

    public static TheoryData<Overload, Completion> AsyncCases
    {
        get
        {
            var data = new TheoryData<Overload, Completion>();
            foreach (Overload o in Enum.GetValues<Overload>())
            {
                foreach (Completion c in Enum.GetValues<Completion>())
                {
                    data.Add(o, c);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(AsyncCases))]
    public async Task ExecuteAsync_EveryOverloadSucceeding_RecordsSuccess(Overload overload, Completion completion)
    {
        Breaker breaker = Create(_time, CountWindow(10, 10));
        var seen = new List<string?>();

        await Invoke(breaker, overload, fail: false, completion, seen);

        seen.Should().Equal(HasState(overload) ? State : null);
        breaker.GetMetrics().NumberOfSuccessfulCalls.Should().Be(1);
        breaker.GetMetrics().NumberOfFailedCalls.Should().Be(0);
    }

    [Theory]
    [MemberData(nameof(AsyncCases))]
    public async Task ExecuteAsync_EveryOverloadFailing_RecordsFailureAndPropagates(Overload overload, Completion completion)
    {
        Breaker breaker = Create(_time, CountWindow(10, 10));
        var seen = new List<string?>();

        Func<Task> call = () => Invoke(breaker, overload, fail: true, completion, seen);

        await call.Should().ThrowAsync<TimeoutException>();
        seen.Should().HaveCount(1);
        breaker.GetMetrics().NumberOfFailedCalls.Should().Be(1);
        breaker.GetMetrics().NumberOfSuccessfulCalls.Should().Be(0);
    }

    [Theory]
    [MemberData(nameof(AsyncCases))]
    public async Task ExecuteAsync_EveryOverloadWhenOpen_ReturnsFaultedTaskWithoutRunningFunc(Overload overload, Completion completion)
    {
        Breaker breaker = Create(_time, new CircuitBreakerOptions { WaitDurationInOpenState = TimeSpan.FromSeconds(30) });
        breaker.TransitionToOpenState();
        _time.Advance(TimeSpan.FromSeconds(10));
        var seen = new List<string?>();
        Task? task = null;

        Action start = () => task = Invoke(breaker, overload, fail: false, completion, seen);

        start.Should().NotThrow("a rejection is reported through the task, not thrown synchronously");
        task!.IsFaulted.Should().BeTrue();
        Func<Task> awaitTask = () => task;
        CallNotPermittedException ex = (await awaitTask.Should().ThrowAsync<CallNotPermittedException>()).Which;
        ex.CircuitBreakerName.Should().Be("test");
        ex.State.Should().Be(CircuitBreakerState.Open);
        ex.RetryAfter.Should().Be(TimeSpan.FromSeconds(20));
        seen.Should().BeEmpty();
        breaker.GetMetrics().NumberOfNotPermittedCalls.Should().Be(1);
    }

    [Fact]
    public void Execute_FuncOfT_ReturnsResultAndRecords()
    {
        Breaker breaker = Create(_time, CountWindow(10, 10));

        breaker.Execute(() => 5).Should().Be(5);
        Action failing = () => breaker.Execute<int>(() => throw new TimeoutException());

        failing.Should().Throw<TimeoutException>();
        breaker.GetMetrics().NumberOfSuccessfulCalls.Should().Be(1);
        breaker.GetMetrics().NumberOfFailedCalls.Should().Be(1);
    }

    [Fact]
    public void Execute_FuncWithState_PassesStateAndRecords()
    {
        Breaker breaker = Create(_time, CountWindow(10, 10));

        breaker.Execute(static s => s.Length, "four").Should().Be(4);
        Action failing = () => breaker.Execute<string, int>(static s => throw new TimeoutException(s), "state");

        failing.Should().Throw<TimeoutException>().WithMessage("state");
        breaker.GetMetrics().NumberOfSuccessfulCalls.Should().Be(1);
        breaker.GetMetrics().NumberOfFailedCalls.Should().Be(1);
    }

    [Fact]
    public void Execute_Action_RunsAndRecords()
    {
        Breaker breaker = Create(_time, CountWindow(10, 10));
        int runs = 0;

        breaker.Execute(() => { runs++; });
        Action failing = () => breaker.Execute(() => { runs++; throw new TimeoutException(); });

        failing.Should().Throw<TimeoutException>();
        runs.Should().Be(2);
        breaker.GetMetrics().NumberOfSuccessfulCalls.Should().Be(1);
        breaker.GetMetrics().NumberOfFailedCalls.Should().Be(1);
    }

    [Fact]
    public void Execute_ActionWithState_PassesStateAndRecords()
    {
        Breaker breaker = Create(_time, CountWindow(10, 10));
        var received = new List<int>();

        breaker.Execute(s => received.Add(s), 3);
        Action failing = () => breaker.Execute(s => { received.Add(s); throw new TimeoutException(); }, 4);

        failing.Should().Throw<TimeoutException>();
        received.Should().Equal(3, 4);
        breaker.GetMetrics().NumberOfSuccessfulCalls.Should().Be(1);
        breaker.GetMetrics().NumberOfFailedCalls.Should().Be(1);
    }

    [Fact]
    public void Execute_FailingFunc_RethrowsSameExceptionInstance()
    {
        Breaker breaker = Create(_time);
        var exception = new TimeoutException();

        Action failing = () => breaker.Execute(() => throw exception);

        failing.Should().Throw<TimeoutException>().Which.Should().BeSameAs(exception);
    }

    [Fact]
    public void Execute_EverySyncOverloadWhenOpen_ThrowsWithoutRunningFunc()
    {
        Breaker breaker = Create(_time);
        breaker.TransitionToOpenState();
        int runs = 0;

        Action[] calls =
        [
            () => breaker.Execute(() => ++runs),
            () => breaker.Execute(s => runs += s, 1),
            () => breaker.Execute(() => { runs++; }),
            () => breaker.Execute(s => { runs += s; }, 1),
        ];

        foreach (Action call in calls)
        {
            call.Should().Throw<CallNotPermittedException>().Which.State.Should().Be(CircuitBreakerState.Open);
        }

        runs.Should().Be(0);
        breaker.GetMetrics().NumberOfNotPermittedCalls.Should().Be(4);
    }

    [Fact]
    public void CallNotPermittedException_Open_CarriesNameStateRetryAfterAndMessage()
    {
        Breaker breaker = Create(_time, new CircuitBreakerOptions { WaitDurationInOpenState = TimeSpan.FromSeconds(60) }, "orders");
        breaker.TransitionToOpenState();
        _time.Advance(TimeSpan.FromSeconds(15));

        Action call = () => breaker.Execute(() => 1);

        CallNotPermittedException ex = call.Should().Throw<CallNotPermittedException>().Which;
        ex.CircuitBreakerName.Should().Be("orders");
        ex.State.Should().Be(CircuitBreakerState.Open);
        ex.RetryAfter.Should().Be(TimeSpan.FromSeconds(45));
        ex.Message.Should().Be("Circuit breaker 'orders' is Open and does not permit further calls; it permits trial calls again in 45 s.");
        ex.InnerException.Should().BeNull();
    }

    [Fact]
    public void CallNotPermittedException_HalfOpen_HasNoRetryAfter()
    {
        Breaker breaker = Create(_time, new CircuitBreakerOptions { PermittedNumberOfCallsInHalfOpenState = 1 }, "orders");
        MoveTo(breaker, CircuitBreakerState.HalfOpen);
        breaker.AcquirePermission();

        Action call = () => breaker.Execute(() => 1);

        CallNotPermittedException ex = call.Should().Throw<CallNotPermittedException>().Which;
        ex.State.Should().Be(CircuitBreakerState.HalfOpen);
        ex.RetryAfter.Should().BeNull();
        ex.Message.Should().Be("Circuit breaker 'orders' is HalfOpen and does not permit further calls.");
    }

    [Fact]
    public async Task CallNotPermittedException_ForcedOpenAsync_HasNoRetryAfter()
    {
        Breaker breaker = Create(_time, null, "orders");
        MoveTo(breaker, CircuitBreakerState.ForcedOpen);

        Func<Task> call = () => breaker.ExecuteAsync(_ => Task.FromResult(1));

        CallNotPermittedException ex = (await call.Should().ThrowAsync<CallNotPermittedException>()).Which;
        ex.CircuitBreakerName.Should().Be("orders");
        ex.State.Should().Be(CircuitBreakerState.ForcedOpen);
        ex.RetryAfter.Should().BeNull();
    }

    [Fact]
    public async Task ExecuteAsync_PendingUntilCompleted_RecordsOnCompletionWithDuration()
    {
        Breaker breaker = Create(_time, CountWindow(10, 10));
        var events = new EventRecorder(breaker);
        var pending = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);

        Task<int> call = breaker.ExecuteAsync(_ => pending.Task);
        _time.Advance(TimeSpan.FromSeconds(2));

        call.IsCompleted.Should().BeFalse();
        breaker.GetMetrics().NumberOfBufferedCalls.Should().Be(0);
        pending.SetResult(9);
        (await call).Should().Be(9);

        breaker.GetMetrics().NumberOfSuccessfulCalls.Should().Be(1);
        events.OfType(CircuitBreakerEventType.Success).Should().ContainSingle().Which.ElapsedDuration.Should().Be(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task ExecuteAsync_PendingValueTaskFaultsLater_RecordsFailureWithDuration()
    {
        Breaker breaker = Create(_time, CountWindow(10, 10));
        var events = new EventRecorder(breaker);
        var pending = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        ValueTask call = breaker.ExecuteAsync(_ => new ValueTask(pending.Task));
        _time.Advance(TimeSpan.FromMilliseconds(700));
        breaker.GetMetrics().NumberOfBufferedCalls.Should().Be(0);
        pending.SetException(new TimeoutException());

        Func<Task> awaitCall = () => call.AsTask();
        await awaitCall.Should().ThrowAsync<TimeoutException>();
        events.OfType(CircuitBreakerEventType.Error).Should().ContainSingle().Which.ElapsedDuration.Should().Be(TimeSpan.FromMilliseconds(700));
    }

    [Fact]
    public async Task ExecuteAsync_TaskCompletedSynchronously_ReturnsSameTaskResult()
    {
        Breaker breaker = Create(_time, CountWindow(10, 10));
        Task<int> completed = Task.FromResult(11);

        Task<int> result = breaker.ExecuteAsync(_ => completed);

        (await result).Should().Be(11);
        breaker.GetMetrics().NumberOfSuccessfulCalls.Should().Be(1);
    }

    [Fact]
    public async Task ExecuteAsync_PassesCallerTokenToFunc()
    {
        Breaker breaker = Create(_time);
        using var cts = new CancellationTokenSource();
        CancellationToken received = default;

        await breaker.ExecuteAsync(ct => { received = ct; return ValueTask.CompletedTask; }, cts.Token);

        received.Should().Be(cts.Token);
    }

    [Fact]
    public async Task ExecuteAsync_AsyncLambdaReturningValue_BindsToValueTaskOverload()
    {
        Breaker breaker = Create(_time, CountWindow(10, 10));

        // These lines only compile if overload priority picks the ValueTask overloads over the Task ones.
        ValueTask<int> withResult = breaker.ExecuteAsync(async ct => { await Task.Yield(); return 1; });
        ValueTask withoutResult = breaker.ExecuteAsync(async ct => { await Task.Yield(); });
        ValueTask<int> withState = breaker.ExecuteAsync(async (s, ct) => { await Task.Yield(); return s; }, 2);

        (await withResult).Should().Be(1);
        await withoutResult;
        (await withState).Should().Be(2);
        breaker.GetMetrics().NumberOfSuccessfulCalls.Should().Be(3);
    }

    [Fact]
    public void Execute_NullDelegates_ThrowArgumentNullException()
    {
        Breaker breaker = Create(_time);

        Action[] calls =
        [
            () => breaker.Execute((Func<int>)null!),
            () => breaker.Execute((Action)null!),
            () => breaker.Execute((Func<int, int>)null!, 1),
            () => breaker.Execute((Action<int>)null!, 1),
            () => breaker.ExecuteAsync((Func<CancellationToken, ValueTask<int>>)null!).AsTask(),
            () => breaker.ExecuteAsync((Func<CancellationToken, Task>)null!),
        ];

        foreach (Action call in calls)
        {
            call.Should().Throw<ArgumentNullException>();
        }

        breaker.GetMetrics().NumberOfBufferedCalls.Should().Be(0);
    }

    [Theory]
    [InlineData(Overload.ValueTaskOfT)]
    [InlineData(Overload.Task)]
    public async Task ExecuteAsync_FuncThrowsSynchronously_RecordsFailureAndReturnsFaultedTask(Overload overload)
    {
        Breaker breaker = Create(_time, CountWindow(10, 10));
        var exception = new TimeoutException("thrown before the first await");
        Task? task = null;
        Exception? thrownSynchronously = null;

        try
        {
            task = overload == Overload.Task
                ? breaker.ExecuteAsync((Func<CancellationToken, Task>)(_ => throw exception))
                : breaker.ExecuteAsync<int>(_ => throw exception).AsTask();
        }
        catch (TimeoutException ex)
        {
            thrownSynchronously = ex;
        }

        breaker.GetMetrics().NumberOfFailedCalls.Should().Be(1, "the exception is recorded either way");
        thrownSynchronously.Should().BeNull("like a rejection, and like Resilience4j's decorateCompletionStage, a failure of the call should be reported through the task");
        Func<Task> awaitTask = () => task!;
        (await awaitTask.Should().ThrowAsync<TimeoutException>()).Which.Should().BeSameAs(exception);
    }

    [Fact]
    public void ExecuteAsync_FuncCancelsTheCallerThenThrowsSynchronously_ReleasesThePermitAndEndsCancelled()
    {
        Breaker breaker = Create(_time, new CircuitBreakerOptions { PermittedNumberOfCallsInHalfOpenState = 1, MinimumNumberOfCalls = 1 });
        MoveTo(breaker, CircuitBreakerState.HalfOpen);
        using var cts = new CancellationTokenSource();

        ValueTask<int> call = breaker.ExecuteAsync<CancellationTokenSource, int>(
            static (source, token) =>
            {
                source.Cancel();
                token.ThrowIfCancellationRequested();
                return new ValueTask<int>(1);
            },
            cts,
            cts.Token);

        call.IsCanceled.Should().BeTrue("the caller's own cancellation ends the call as an async method would end it");
        breaker.GetMetrics().NumberOfBufferedCalls.Should().Be(0, "a cancellation by the caller is not a failure of the dependency");
        breaker.State.Should().Be(CircuitBreakerState.HalfOpen);
        breaker.TryAcquirePermission(out CircuitBreakerPermit permit).Should().BeTrue("the only trial permit was released");
        permit.Release();
    }

    [Fact]
    public async Task ExecuteAsync_TokenAlreadyCancelled_IsCancelledWithoutPermitOrRecord()
    {
        Breaker breaker = Create(_time, new CircuitBreakerOptions { PermittedNumberOfCallsInHalfOpenState = 1, MinimumNumberOfCalls = 1 });
        MoveTo(breaker, CircuitBreakerState.HalfOpen);
        var events = new EventRecorder(breaker);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        bool ran = false;

        ValueTask<int> call = breaker.ExecuteAsync((_, _) => { ran = true; return new ValueTask<int>(1); }, 0, cts.Token);

        call.IsCanceled.Should().BeTrue();
        ran.Should().BeFalse();
        events.Events.Should().BeEmpty("nothing was recorded and no permit was refused");
        breaker.State.Should().Be(CircuitBreakerState.HalfOpen);
        breaker.GetMetrics().NumberOfBufferedCalls.Should().Be(0);
        breaker.TryAcquirePermission(out _).Should().BeTrue("the only trial permit was not taken");
    }
}
