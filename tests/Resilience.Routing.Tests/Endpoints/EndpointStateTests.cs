using Resilience.Routing.Internal;

namespace Resilience.Routing.Tests.Endpoints;

public sealed class EndpointStateTests
{
    [Fact]
    public void TryEnter_AtMaxRequests_Refuses()
    {
        var state = new EndpointState("http://10.0.0.1:80", EndpointJoin.Initial);

        state.TryEnter(2).Should().BeTrue();
        state.TryEnter(2).Should().BeTrue();
        state.TryEnter(2).Should().BeFalse();
        state.ActiveRequests.Should().Be(2);
    }

    [Fact]
    public async Task EnterQueuedAsync_SlotFreed_GrantsTheFirstWaiter()
    {
        var state = new EndpointState("http://10.0.0.1:80", EndpointJoin.Initial);
        state.TryEnter(1);

        Task first = state.EnterQueuedAsync(1, 2, CancellationToken.None);
        Task second = state.EnterQueuedAsync(1, 2, CancellationToken.None);
        first.IsCompleted.Should().BeFalse();
        state.PendingRequests.Should().Be(2);

        state.Exit(1);
        await first;

        second.IsCompleted.Should().BeFalse();
        state.ActiveRequests.Should().Be(1);
        state.PendingRequests.Should().Be(1);
        state.Exit(1);
        await second;
        state.Exit(1);
        state.ActiveRequests.Should().Be(0);
    }

    [Fact]
    public async Task EnterQueuedAsync_QueueFull_ThrowsARejection()
    {
        var state = new EndpointState("http://10.0.0.1:80", EndpointJoin.Initial);
        state.TryEnter(1);
        _ = state.EnterQueuedAsync(1, 1, CancellationToken.None);

        Func<Task> third = () => state.EnterQueuedAsync(1, 1, CancellationToken.None);

        (await third.Should().ThrowAsync<EndpointPoolFullException>())
            .Which.Should().BeAssignableTo<ResilienceRejectedException>().And.Match<EndpointPoolFullException>(e => e.Endpoint == "http://10.0.0.1:80");
        state.PendingRequests.Should().Be(1);
    }

    [Fact]
    public async Task EnterQueuedAsync_NoQueue_RefusesAtOnce()
    {
        var state = new EndpointState("http://10.0.0.1:80", EndpointJoin.Initial);
        state.TryEnter(1);

        Func<Task> enter = () => state.EnterQueuedAsync(1, 0, CancellationToken.None);

        await enter.Should().ThrowAsync<EndpointPoolFullException>();
    }

    [Fact]
    public async Task EnterQueuedAsync_Cancelled_LeavesTheQueueAndTheSlotGoesToTheNext()
    {
        var state = new EndpointState("http://10.0.0.1:80", EndpointJoin.Initial);
        state.TryEnter(1);
        using var cancel = new CancellationTokenSource();
        Task cancelled = state.EnterQueuedAsync(1, 2, cancel.Token);
        Task next = state.EnterQueuedAsync(1, 2, CancellationToken.None);

        await cancel.CancelAsync();
        Func<Task> wait = () => cancelled;
        await wait.Should().ThrowAsync<OperationCanceledException>();
        state.PendingRequests.Should().Be(1);
        state.Exit(1);

        await next;
        state.ActiveRequests.Should().Be(1);
        state.PendingRequests.Should().Be(0);
    }
}
