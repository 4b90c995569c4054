using System.Net;
using Microsoft.Extensions.Time.Testing;

namespace Resilience.Http.Tests.FaultInjection;

public sealed class FaultInjectionHandlerTests : IDisposable
{
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(2);

    private readonly CountingHandler _inner = new();

    public void Dispose() => _inner.Dispose();

    [Fact]
    public async Task SendAsync_NoFaults_CallsInner()
    {
        using HttpMessageInvoker invoker = Invoker(new FaultInjectionOptions());

        using HttpResponseMessage response = await invoker.SendAsync(Get(), CancellationToken.None);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        _inner.Calls.Should().Be(1);
    }

    [Fact]
    public async Task SendAsync_AbortHundredPercent_ReturnsStatusCodeWithRequestAndSkipsInner()
    {
        using HttpMessageInvoker invoker = Invoker(new FaultInjectionOptions { AbortPercentage = 100, AbortStatusCode = 502 });
        using HttpRequestMessage request = Get();

        using HttpResponseMessage response = await invoker.SendAsync(request, CancellationToken.None);

        response.StatusCode.Should().Be(HttpStatusCode.BadGateway);
        response.RequestMessage.Should().BeSameAs(request);
        _inner.Calls.Should().Be(0);
    }

    [Fact]
    public async Task SendAsync_AbortFiftyPercent_AbortsOnlyRequestsWithDrawsBelowHalf()
    {
        var random = new SequenceRandom(0.2, 0.7, 0.4999, 0.5);
        using HttpMessageInvoker invoker = Invoker(new FaultInjectionOptions { AbortPercentage = 50 }, random: random);
        var statuses = new List<HttpStatusCode>();

        for (int i = 0; i < 4; i++)
        {
            using HttpResponseMessage response = await invoker.SendAsync(Get(), CancellationToken.None);
            statuses.Add(response.StatusCode);
        }

        statuses.Should().Equal(HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK);
        _inner.Calls.Should().Be(2);
    }

    [Fact]
    public async Task SendAsync_DropConnection_ThrowsConnectionErrorAndSkipsInner()
    {
        using HttpMessageInvoker invoker = Invoker(new FaultInjectionOptions { AbortPercentage = 100, AbortKind = FaultAbortKind.DropConnection });

        Func<Task> send = () => invoker.SendAsync(Get(), CancellationToken.None);

        (await send.Should().ThrowAsync<HttpRequestException>().WithMessage("*fault injection*"))
            .Which.HttpRequestError.Should().Be(HttpRequestError.ConnectionError);
        _inner.Calls.Should().Be(0);
    }

    [Fact]
    public async Task SendAsync_Delay_CompletesOnlyWhenDelayHasElapsed()
    {
        var time = new FakeTimeProvider();
        using HttpMessageInvoker invoker = Invoker(new FaultInjectionOptions { DelayDuration = Delay, DelayPercentage = 100 }, time);

        Task<HttpResponseMessage> send = invoker.SendAsync(Get(), CancellationToken.None);
        time.Advance(Delay - TimeSpan.FromMilliseconds(1));
        send.IsCompleted.Should().BeFalse();
        _inner.Calls.Should().Be(0);
        time.Advance(TimeSpan.FromMilliseconds(1));

        using HttpResponseMessage response = await send;
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        _inner.Calls.Should().Be(1);
    }

    [Fact]
    public async Task SendAsync_DelayAndAbort_AbortsAfterDelay()
    {
        var time = new FakeTimeProvider();
        using HttpMessageInvoker invoker = Invoker(new FaultInjectionOptions { DelayDuration = Delay, DelayPercentage = 100, AbortPercentage = 100 }, time);

        Task<HttpResponseMessage> send = invoker.SendAsync(Get(), CancellationToken.None);
        send.IsCompleted.Should().BeFalse();
        time.Advance(Delay);

        using HttpResponseMessage response = await send;
        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        _inner.Calls.Should().Be(0);
    }

    [Fact]
    public async Task SendAsync_CancelledDuringDelay_ThrowsAndSkipsInner()
    {
        var time = new FakeTimeProvider();
        using HttpMessageInvoker invoker = Invoker(new FaultInjectionOptions { DelayDuration = Delay, DelayPercentage = 100 }, time);
        using var cts = new CancellationTokenSource();

        Task<HttpResponseMessage> send = invoker.SendAsync(Get(), cts.Token);
        await cts.CancelAsync();

        await send.Invoking(t => t).Should().ThrowAsync<OperationCanceledException>();
        time.Advance(Delay);
        _inner.Calls.Should().Be(0);
    }

    [Fact]
    public async Task SendAsync_OptionsChangedAtRunTime_NextRequestUsesThem()
    {
        var options = new FaultInjectionOptions();
        using HttpMessageInvoker invoker = Invoker(options);

        using HttpResponseMessage before = await invoker.SendAsync(Get(), CancellationToken.None);
        options.AbortPercentage = 100;
        using HttpResponseMessage after = await invoker.SendAsync(Get(), CancellationToken.None);

        before.StatusCode.Should().Be(HttpStatusCode.OK);
        after.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        _inner.Calls.Should().Be(1);
    }

    [Fact]
    public void Send_AbortHundredPercent_ReturnsStatusCodeWithRequestAndSkipsInner()
    {
        using HttpMessageInvoker invoker = Invoker(new FaultInjectionOptions { AbortPercentage = 100 });
        using HttpRequestMessage request = Get();

        using HttpResponseMessage response = invoker.Send(request, CancellationToken.None);

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        response.RequestMessage.Should().BeSameAs(request);
        _inner.Calls.Should().Be(0);
    }

    [Fact]
    public void Send_DropConnection_ThrowsConnectionErrorAndSkipsInner()
    {
        using HttpMessageInvoker invoker = Invoker(new FaultInjectionOptions { AbortPercentage = 100, AbortKind = FaultAbortKind.DropConnection });

        Action send = () => invoker.Send(Get(), CancellationToken.None);

        send.Should().Throw<HttpRequestException>().Which.HttpRequestError.Should().Be(HttpRequestError.ConnectionError);
        _inner.Calls.Should().Be(0);
    }

    [Fact]
    public async Task Send_Delay_BlocksUntilDelayHasElapsed()
    {
        var time = new TimerSignalingTimeProvider(Delay);
        using HttpMessageInvoker invoker = Invoker(new FaultInjectionOptions { DelayDuration = Delay, DelayPercentage = 100 }, time);

        Task<HttpResponseMessage> send = Task.Run(() => invoker.Send(Get(), CancellationToken.None));
        await time.TimerCreated;
        send.IsCompleted.Should().BeFalse();
        _inner.Calls.Should().Be(0);
        time.Advance(Delay);

        using HttpResponseMessage response = await send;
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        _inner.Calls.Should().Be(1);
    }

    [Fact]
    public async Task Send_CancelledDuringDelay_ThrowsAndSkipsInner()
    {
        var time = new TimerSignalingTimeProvider(Delay);
        using HttpMessageInvoker invoker = Invoker(new FaultInjectionOptions { DelayDuration = Delay, DelayPercentage = 100 }, time);
        using var cts = new CancellationTokenSource();

        Task<HttpResponseMessage> send = Task.Run(() => invoker.Send(Get(), cts.Token));
        await time.TimerCreated;
        await cts.CancelAsync();

        await send.Invoking(t => t).Should().ThrowAsync<OperationCanceledException>();
        _inner.Calls.Should().Be(0);
    }

    private HttpMessageInvoker Invoker(FaultInjectionOptions options, TimeProvider? time = null, SequenceRandom? random = null) =>
        new(new FaultInjectionHandler(() => options, time ?? new FakeTimeProvider(), random is null ? null : random.Next) { InnerHandler = _inner });

    private static HttpRequestMessage Get() => new(HttpMethod.Get, "http://warehouse.test/stock");
}
