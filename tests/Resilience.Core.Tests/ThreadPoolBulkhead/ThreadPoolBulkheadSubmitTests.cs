using PoolBulkhead = Resilience.ThreadPoolBulkhead;

namespace Resilience.Tests.ThreadPoolBulkhead;

/// <summary>What a submitted task sees and returns: exceptions, cancellation, execution context, continuations.</summary>
public class ThreadPoolBulkheadSubmitTests
{
    private static readonly AsyncLocal<string?> Ambient = new();

    [Fact]
    public async Task Submit_FunctionThrows_TaskFaultsWithTheSameExceptionAndThreadSurvives()
    {
        using PoolBulkhead bulkhead = ThreadPoolBulkheadTestSupport.Create(core: 1, max: 1, queue: 1);
        var failure = new InvalidOperationException("boom");

        Func<Task> func = () => bulkhead.Submit<int>(() => throw failure).Within();
        Func<Task> action = () => bulkhead.Submit(() => throw failure).Within();

        (await func.Should().ThrowAsync<InvalidOperationException>()).Which.Should().BeSameAs(failure);
        (await action.Should().ThrowAsync<InvalidOperationException>()).Which.Should().BeSameAs(failure);
        (await bulkhead.Submit(() => 5).Within()).Should().Be(5);
        bulkhead.Counts().Should().Be((1, 0, 0), "the one thread survived both exceptions");
    }

    [Fact]
    public async Task Submit_TokenAlreadyCancelled_ReturnsCancelledTaskAndConsumesNothing()
    {
        using PoolBulkhead bulkhead = ThreadPoolBulkheadTestSupport.Create(core: 1, max: 1, queue: 0);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        int events = 0;
        bulkhead.Events.Any += _ => events++;
        bool ran = false;

        Task<int> task = bulkhead.Submit((_, _) => { ran = true; return 1; }, 0, cts.Token);

        task.IsCanceled.Should().BeTrue();
        (await ((Func<Task>)(() => task)).Should().ThrowAsync<OperationCanceledException>()).Which.CancellationToken.Should().Be(cts.Token);
        ran.Should().BeFalse();
        bulkhead.Counts().Should().Be((0, 0, 0), "no thread was started");
        events.Should().Be(0);
    }

    [Fact]
    public async Task Submit_TokenCancelledWhileQueued_CancelsAtOnceFreesTheSlotAndNeverRuns()
    {
        using PoolBulkhead bulkhead = ThreadPoolBulkheadTestSupport.Create(core: 1, max: 1, queue: 2);
        using var work = new BlockingWork();
        using var cts = new CancellationTokenSource();
        int permitted = 0;
        bulkhead.Events.CallPermitted += _ => Interlocked.Increment(ref permitted);
        Task<int> blocker = work.Submit(bulkhead);
        bool ran = false;
        Task<int> first = bulkhead.Submit((_, _) => { ran = true; return 1; }, 0, cts.Token);
        Task<int> second = bulkhead.Submit(() => 2);
        bulkhead.Counts().Should().Be((1, 1, 2));

        await cts.CancelAsync();

        await ((Func<Task>)(() => first.Within())).Should().ThrowAsync<OperationCanceledException>();
        first.IsCanceled.Should().BeTrue();
        bulkhead.Counts().Should().Be((1, 1, 1), "the cancelled task left the queue before the blocker finished");
        bulkhead.GetMetrics().RemainingQueueCapacity.Should().Be(1);
        work.Release();
        (await second.Within()).Should().Be(2);
        await blocker.Within();
        ran.Should().BeFalse();
        permitted.Should().Be(2, "only the blocker and the second task started");
    }

    [Fact]
    public async Task Submit_TokenCancelledWhileRunning_FunctionSeesItAndTaskIsCancelled()
    {
        using PoolBulkhead bulkhead = ThreadPoolBulkheadTestSupport.Create(core: 1, max: 1, queue: 0);
        using var cts = new CancellationTokenSource();
        using var started = new ManualResetEventSlim();
        int finished = 0;
        bulkhead.Events.CallFinished += _ => Interlocked.Increment(ref finished);

        Task<int> task = bulkhead.Submit(
            static (s, ct) =>
            {
                s.Set();
                ct.WaitHandle.WaitOne(ThreadPoolBulkheadTestSupport.Safety);
                ct.ThrowIfCancellationRequested();
                return 1;
            },
            started,
            cts.Token);
        started.Wait(ThreadPoolBulkheadTestSupport.Safety).Should().BeTrue();
        await cts.CancelAsync();

        await ((Func<Task>)(() => task.Within())).Should().ThrowAsync<OperationCanceledException>();
        task.IsCanceled.Should().BeTrue();
        finished.Should().Be(1, "a task that started publishes CallFinished however it ends");
        bulkhead.Counts().Should().Be((1, 0, 0));
    }

    [Fact]
    public async Task Submit_OperationCanceledFromAnotherToken_FaultsTheTask()
    {
        using PoolBulkhead bulkhead = ThreadPoolBulkheadTestSupport.Create(core: 1, max: 1, queue: 0);
        using var other = new CancellationTokenSource();
        await other.CancelAsync();

        Task<int> task = bulkhead.Submit(static (t, _) => { t.ThrowIfCancellationRequested(); return 1; }, other.Token, CancellationToken.None);

        await ((Func<Task>)(() => task.Within())).Should().ThrowAsync<OperationCanceledException>();
        task.IsFaulted.Should().BeTrue("the caller's own token was not cancelled, so this is a failure");
    }

    [Fact]
    public async Task Submit_FlowExecutionContextOn_TaskSeesTheSubmittersAsyncLocals()
    {
        using PoolBulkhead bulkhead = ThreadPoolBulkheadTestSupport.Create(core: 1, max: 1, queue: 1, flowExecutionContext: true);
        Ambient.Value = "caller";

        string? seen = await bulkhead.Submit(static () => Ambient.Value).Within();

        seen.Should().Be("caller");
    }

    [Fact]
    public async Task Submit_FlowExecutionContextOff_TaskSeesNoAsyncLocals()
    {
        using PoolBulkhead bulkhead = ThreadPoolBulkheadTestSupport.Create(core: 1, max: 1, queue: 1, flowExecutionContext: false);
        Ambient.Value = "caller";

        string? seen = await bulkhead.Submit(static () => Ambient.Value).Within();

        seen.Should().BeNull();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Submit_TaskSetsAsyncLocal_NextTaskOnTheSameThreadDoesNotSeeIt(bool flowExecutionContext)
    {
        using PoolBulkhead bulkhead = ThreadPoolBulkheadTestSupport.Create(core: 1, max: 1, queue: 1, flowExecutionContext: flowExecutionContext);
        Ambient.Value = null;

        await bulkhead.Submit(static () => { Ambient.Value = "leaked"; }).Within();
        string? seen = await bulkhead.Submit(static () => Ambient.Value).Within();

        seen.Should().BeNull();
        Ambient.Value.Should().BeNull("nothing flows back to the submitter");
    }

    [Fact]
    public async Task Submit_Continuation_NeverRunsOnAWorkerThread()
    {
        using PoolBulkhead bulkhead = ThreadPoolBulkheadTestSupport.Create(core: 1, max: 1, queue: 0, name: "cont");

        string? continuationThread = await bulkhead.Submit(static () => 1)
            .ContinueWith(static _ => Thread.CurrentThread.Name, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default)
            .Within();

        continuationThread.Should().NotStartWith("bulkhead-cont-");
    }

    [Fact]
    public async Task Submit_FromContinuationOfACompletedTask_IsNotRejected()
    {
        using PoolBulkhead bulkhead = ThreadPoolBulkheadTestSupport.Create(core: 1, max: 1, queue: 0, keepAlive: TimeSpan.Zero);

        for (int i = 0; i < 200; i++)
        {
            (await bulkhead.Submit(static () => 1).Within()).Should().Be(1, "the thread is idle before the task completes");
        }
    }
}
