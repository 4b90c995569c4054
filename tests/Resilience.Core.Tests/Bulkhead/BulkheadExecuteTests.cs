using Microsoft.Extensions.Time.Testing;
using SemaphoreBulkhead = Resilience.Bulkhead;

namespace Resilience.Tests.Bulkhead;

public class BulkheadExecuteTests
{
    private readonly SemaphoreBulkhead _bulkhead = BulkheadTestSupport.Create(new FakeTimeProvider(), 2, name: "exec");

    public static TheoryData<string> Overloads() => new()
    {
        "Action", "Func", "ActionState", "FuncState",
        "ValueTask", "ValueTaskResult", "ValueTaskState", "ValueTaskStateResult",
        "Task", "TaskResult", "TaskState", "TaskStateResult",
    };

    /// <summary>Runs the overload named <paramref name="overload"/> with a body that calls <paramref name="body"/> and returns its value.</summary>
    private static async Task<int> Run(SemaphoreBulkhead b, string overload, Func<int> body)
    {
        int seen = 0;
        switch (overload)
        {
            case "Action": b.Execute(() => seen = body()); return seen;
            case "Func": return b.Execute(body);
            case "ActionState": b.Execute(f => seen = f(), body); return seen;
            case "FuncState": return b.Execute(f => f(), body);
            case "ValueTask": await b.ExecuteAsync(_ => { seen = body(); return ValueTask.CompletedTask; }); return seen;
            case "ValueTaskResult": return await b.ExecuteAsync(_ => new ValueTask<int>(body()));
            case "ValueTaskState": await b.ExecuteAsync((f, _) => { seen = f(); return ValueTask.CompletedTask; }, body); return seen;
            case "ValueTaskStateResult": return await b.ExecuteAsync((f, _) => new ValueTask<int>(f()), body);
            case "Task": await b.ExecuteAsync(_ => { seen = body(); return Task.CompletedTask; }); return seen;
            case "TaskResult": return await b.ExecuteAsync(_ => Task.FromResult(body()));
            case "TaskState": await b.ExecuteAsync((f, _) => { seen = f(); return new ValueTask(Task.CompletedTask); }, body); return seen;
            default: return await b.ExecuteAsync((f, _) => new ValueTask<int>(Task.FromResult(f())), body);
        }
    }

    [Theory]
    [MemberData(nameof(Overloads))]
    public async Task Execute_PermitFree_RunsHoldingPermitAndGivesItBack(string overload)
    {
        int availableInside = -1;

        int result = await Run(_bulkhead, overload, () => { availableInside = _bulkhead.Available(); return 7; });

        result.Should().Be(7);
        availableInside.Should().Be(1, "the call holds one of the two permits while it runs");
        _bulkhead.Available().Should().Be(2);
    }

    [Theory]
    [MemberData(nameof(Overloads))]
    public async Task Execute_Full_ThrowsBulkheadFullAndDoesNotRun(string overload)
    {
        _bulkhead.Hold(2);
        bool ran = false;

        Func<Task> call = () => Run(_bulkhead, overload, () => { ran = true; return 1; });

        (await call.Should().ThrowAsync<BulkheadFullException>()).Which.BulkheadName.Should().Be("exec");
        ran.Should().BeFalse();
        _bulkhead.Available().Should().Be(0);
    }

    [Theory]
    [MemberData(nameof(Overloads))]
    public async Task Execute_BodyThrows_PropagatesAndGivesPermitBack(string overload)
    {
        var failure = new InvalidOperationException("boom");

        Func<Task> call = () => Run(_bulkhead, overload, () => throw failure);

        (await call.Should().ThrowAsync<InvalidOperationException>()).Which.Should().BeSameAs(failure);
        _bulkhead.Available().Should().Be(2);
    }

    [Fact]
    public async Task ExecuteAsync_PendingValueTask_HoldsPermitUntilItCompletes()
    {
        var gate = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);

        ValueTask<int> call = _bulkhead.ExecuteAsync(static (g, _) => new ValueTask<int>(g.Task), gate);

        call.IsCompleted.Should().BeFalse();
        _bulkhead.Available().Should().Be(1);
        gate.SetResult(5);
        (await call).Should().Be(5);
        _bulkhead.Available().Should().Be(2);
    }

    [Fact]
    public async Task ExecuteAsync_PendingTaskFaults_GivesPermitBack()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        Task call = _bulkhead.ExecuteAsync(static (g, _) => new ValueTask(g.Task), gate).AsTask();
        _bulkhead.Available().Should().Be(1);
        gate.SetException(new TimeoutException());

        Func<Task> awaitCall = () => call;
        await awaitCall.Should().ThrowAsync<TimeoutException>();
        _bulkhead.Available().Should().Be(2);
    }

    [Fact]
    public async Task ExecuteAsync_TokenAlreadyCancelled_IsCancelledWithoutPermitOrEvent()
    {
        int events = 0;
        _bulkhead.Events.Any += _ => events++;
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        ValueTask<int> valueTask = _bulkhead.ExecuteAsync(static (_, _) => new ValueTask<int>(1), 0, cts.Token);
        Task task = _bulkhead.ExecuteAsync(static _ => Task.CompletedTask, cts.Token);

        valueTask.IsCanceled.Should().BeTrue();
        task.IsCanceled.Should().BeTrue();
        events.Should().Be(0);
        _bulkhead.Available().Should().Be(2);
    }

    [Fact]
    public async Task ExecuteAsync_BodyCancelledByToken_GivesPermitBackAndFinishes()
    {
        int finished = 0;
        _bulkhead.Events.CallFinished += _ => finished++;
        using var cts = new CancellationTokenSource();

        Func<Task> call = async () => await _bulkhead.ExecuteAsync(
            static async (c, ct) => { await c.CancelAsync(); ct.ThrowIfCancellationRequested(); },
            cts,
            cts.Token);

        await call.Should().ThrowAsync<OperationCanceledException>();
        _bulkhead.Available().Should().Be(2);
        finished.Should().Be(1, "the call was permitted and ran, so it finishes");
    }

    [Fact]
    public void Execute_NullDelegate_Throws()
    {
        Action[] calls =
        [
            () => _bulkhead.Execute((Action)null!),
            () => _bulkhead.Execute<int, int>(null!, 1),
            () => _bulkhead.ExecuteAsync((Func<int, CancellationToken, ValueTask<int>>)null!, 1).AsTask(),
            () => _ = _bulkhead.ExecuteAsync((Func<CancellationToken, Task>)null!),
        ];

        foreach (Action call in calls)
        {
            call.Should().Throw<ArgumentNullException>();
        }

        _bulkhead.Available().Should().Be(2);
    }

    [Fact]
    public void ExecuteAsync_StateValueTaskCompletedSynchronously_AllocatesNothing()
    {
        var bulkhead = new SemaphoreBulkhead("alloc", new BulkheadOptions { MaxConcurrentCalls = 4 });
        int completed = RunMany(bulkhead, 100);

        long before = GC.GetAllocatedBytesForCurrentThread();
        completed += RunMany(bulkhead, 1_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        allocated.Should().Be(0);
        completed.Should().Be(3 * 1_100, "every call completed synchronously and successfully");
        bulkhead.Available().Should().Be(4);
    }

    private static int RunMany(SemaphoreBulkhead bulkhead, int calls)
    {
        int completed = 0;
        for (int i = 0; i < calls; i++)
        {
            completed += Completed(bulkhead.ExecuteAsync(static (s, _) => new ValueTask<int>(s + 1), i));
            completed += Completed(bulkhead.ExecuteAsync(static (_, _) => ValueTask.CompletedTask, i));
            completed += bulkhead.Execute(static s => s + 1, i) == i + 1 ? 1 : 0;
        }

        return completed;
    }

    private static int Completed(ValueTask<int> task) => task.IsCompletedSuccessfully && task.Result > 0 ? 1 : 0;

    private static int Completed(ValueTask task) => task.IsCompletedSuccessfully ? 1 : 0;
}
