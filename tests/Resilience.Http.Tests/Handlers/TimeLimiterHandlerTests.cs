using System.Net;
using Microsoft.Extensions.DependencyInjection;

namespace Resilience.Http.Tests.Handlers;

public class TimeLimiterHandlerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    private static TestHost Host() => TestHost.Create(b => b.AddTimeLimiter("t", o => o.TimeoutDuration = Timeout));

    [Fact]
    public async Task SendAsync_InnerNeverAnswers_TimesOutAndCancelsInnerToken()
    {
        using TestHost host = Host();
        TaskCompletionSource<HttpResponseMessage> pending = host.Stub.Pending();
        using HttpClient client = host.Client();

        Task<HttpResponseMessage> call = client.GetAsync("x");
        await host.WaitUntilAsync(() => host.Stub.Calls == 1);
        host.Time.Advance(Timeout - TimeSpan.FromMilliseconds(1));
        call.IsCompleted.Should().BeFalse();
        host.Stub.Tokens.Single().IsCancellationRequested.Should().BeFalse();
        host.Time.Advance(TimeSpan.FromMilliseconds(1));

        await call.Invoking(t => t).Should().ThrowAsync<TimeLimiterTimeoutException>();
        host.Stub.Tokens.Single().IsCancellationRequested.Should().BeTrue();
        pending.TrySetCanceled();
    }

    [Fact]
    public async Task SendAsync_ResponseAfterTimeout_Disposed()
    {
        using TestHost host = Host();
        TaskCompletionSource<HttpResponseMessage> pending = host.Stub.Pending();
        using HttpClient client = host.Client();
        Task<HttpResponseMessage> call = client.GetAsync("x");
        await host.WaitUntilAsync(() => host.Stub.Calls == 1);
        host.Time.Advance(Timeout);
        await call.Invoking(t => t).Should().ThrowAsync<TimeLimiterTimeoutException>();

        TrackedResponse late = host.Stub.Track(HttpStatusCode.OK);
        pending.SetResult(late);

        await host.WaitUntilAsync(() => late.Disposed);
        late.Disposed.Should().BeTrue();
    }

    [Fact]
    public async Task SendAsync_CallerCancels_OperationCanceledNotTimeout()
    {
        using TestHost host = Host();
        host.Stub.HonourToken();
        using HttpClient client = host.Client();
        using var cts = new CancellationTokenSource();

        Task<HttpResponseMessage> call = client.GetAsync("x", cts.Token);
        await host.WaitUntilAsync(() => host.Stub.Calls == 1);
        await cts.CancelAsync();

        (await call.Invoking(t => t).Should().ThrowAsync<OperationCanceledException>())
            .Which.Should().NotBeOfType<TimeLimiterTimeoutException>();
    }

    [Fact]
    public async Task SendAsync_AnswerInTime_ReturnsResponse()
    {
        using TestHost host = Host();
        TaskCompletionSource<HttpResponseMessage> pending = host.Stub.Pending();
        using HttpClient client = host.Client();
        Task<HttpResponseMessage> call = client.GetAsync("x");
        await host.WaitUntilAsync(() => host.Stub.Calls == 1);
        host.Time.Advance(Timeout / 2);

        TrackedResponse answer = host.Stub.Track(HttpStatusCode.OK);
        pending.SetResult(answer);
        using HttpResponseMessage response = await call;

        response.Should().BeSameAs(answer);
        answer.Disposed.Should().BeFalse();
    }

    [Fact]
    public async Task Send_SyncInnerHonoursToken_TimesOut()
    {
        using TestHost host = Host();
        host.Stub.HonourToken();
        using HttpClient client = host.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "x");

        Task<HttpResponseMessage> call = Task.Run(() => client.Send(request));
        await host.WaitUntilAsync(() => host.Stub.Calls == 1);
        host.Time.Advance(Timeout);

        await call.Invoking(t => t).Should().ThrowAsync<TimeLimiterTimeoutException>();
    }
}
