namespace Resilience.Attributes.Tests.DependencyInjection;

/// <summary>The shape adapters of the generated code, on their slow (not yet completed) paths.</summary>
public class ResilientCallsTests
{
    [Fact]
    public async Task Adapters_PendingTasks_CompleteWhenTheyDo()
    {
        var task = new TaskCompletionSource();
        var value = new TaskCompletionSource();
        var result = new TaskCompletionSource<int>();

        ValueTask<bool> fromTask = ResilientCalls.FromTask(task.Task);
        ValueTask<bool> fromValueTask = ResilientCalls.FromValueTask(new ValueTask(value.Task));
        Task toTask = ResilientCalls.ToTask(fromTask);
        ValueTask toValueTask = ResilientCalls.ToValueTask(fromValueTask);
        Task<int> toResult = ResilientCalls.ToResultTask(ResilientCalls.FromResultTask(result.Task));
        toTask.IsCompleted.Should().BeFalse();
        toValueTask.IsCompleted.Should().BeFalse();
        task.SetResult();
        value.SetResult();
        result.SetResult(3);

        await toTask;
        await toValueTask;
        (await toResult).Should().Be(3);
        ResilientCalls.ToTask(new ValueTask<bool>(true)).Should().BeSameAs(Task.CompletedTask);
        ((Func<ValueTask<bool>>)(() => ResilientCalls.FromTask(null!))).Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void MayFallBack_OnlyTheTokensOwnCancellationIsRefused()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        ResilientCalls.MayFallBack(new OperationCanceledException(), cts.Token).Should().BeFalse();
        ResilientCalls.MayFallBack(new OperationCanceledException(), CancellationToken.None).Should().BeTrue("a cancellation from elsewhere is a failure like any other");
        ResilientCalls.MayFallBack(new IOException(), cts.Token).Should().BeTrue();
    }
}
