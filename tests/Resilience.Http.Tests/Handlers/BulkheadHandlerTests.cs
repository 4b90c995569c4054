using System.Net;
using Microsoft.Extensions.DependencyInjection;

namespace Resilience.Http.Tests.Handlers;

public class BulkheadHandlerTests
{
    private static TestHost Host(TimeSpan maxWait) => TestHost.Create(b => b.AddBulkhead("b", o =>
    {
        o.MaxConcurrentCalls = 2;
        o.MaxWaitDuration = maxWait;
    }));

    [Fact]
    public async Task SendAsync_ThirdConcurrent_RejectedWithoutReachingInner()
    {
        using TestHost host = Host(TimeSpan.Zero);
        TaskCompletionSource<HttpResponseMessage> first = host.Stub.Pending();
        TaskCompletionSource<HttpResponseMessage> second = host.Stub.Pending();
        using HttpClient client = host.Client();
        Task<HttpResponseMessage> call1 = client.GetAsync("x");
        Task<HttpResponseMessage> call2 = client.GetAsync("x");
        await host.WaitUntilAsync(() => host.Stub.Calls == 2);

        await client.Invoking(c => c.GetAsync("x")).Should().ThrowAsync<BulkheadFullException>();
        host.Stub.Calls.Should().Be(2);

        first.SetResult(host.Stub.Track(HttpStatusCode.OK));
        (await call1).Dispose();
        using HttpResponseMessage third = await client.GetAsync("x");
        third.StatusCode.Should().Be(HttpStatusCode.OK);
        host.Stub.Calls.Should().Be(3);
        second.SetResult(host.Stub.Track(HttpStatusCode.OK));
        (await call2).Dispose();
    }

    [Fact]
    public async Task SendAsync_FailedCall_ReleasesPermit()
    {
        using TestHost host = Host(TimeSpan.Zero);
        host.Stub.Throw(times: 3);
        using HttpClient client = host.Client();

        for (int i = 0; i < 3; i++)
        {
            await client.Invoking(c => c.GetAsync("x")).Should().ThrowAsync<HttpRequestException>();
        }

        host.Stub.Calls.Should().Be(3);
    }

    [Fact]
    public async Task SendAsync_WaitingAndPermitFreed_Proceeds()
    {
        using TestHost host = Host(TimeSpan.FromSeconds(5));
        TaskCompletionSource<HttpResponseMessage> first = host.Stub.Pending();
        TaskCompletionSource<HttpResponseMessage> second = host.Stub.Pending();
        using HttpClient client = host.Client();
        Task<HttpResponseMessage> call1 = client.GetAsync("x");
        Task<HttpResponseMessage> call2 = client.GetAsync("x");
        await host.WaitUntilAsync(() => host.Stub.Calls == 2);

        Task<HttpResponseMessage> waiting = client.GetAsync("x");
        host.Time.Advance(TimeSpan.FromSeconds(4));
        waiting.IsCompleted.Should().BeFalse();
        host.Stub.Calls.Should().Be(2);
        first.SetResult(host.Stub.Track(HttpStatusCode.OK));

        using HttpResponseMessage third = await waiting;
        host.Stub.Calls.Should().Be(3);
        (await call1).Dispose();
        second.SetResult(host.Stub.Track(HttpStatusCode.OK));
        (await call2).Dispose();
    }

    [Fact]
    public async Task SendAsync_WaitExpires_Rejected()
    {
        using TestHost host = Host(TimeSpan.FromSeconds(5));
        TaskCompletionSource<HttpResponseMessage> first = host.Stub.Pending();
        TaskCompletionSource<HttpResponseMessage> second = host.Stub.Pending();
        using HttpClient client = host.Client();
        Task<HttpResponseMessage> call1 = client.GetAsync("x");
        Task<HttpResponseMessage> call2 = client.GetAsync("x");
        await host.WaitUntilAsync(() => host.Stub.Calls == 2);

        Task<HttpResponseMessage> waiting = client.GetAsync("x");
        host.Time.Advance(TimeSpan.FromSeconds(5));

        await waiting.Invoking(t => t).Should().ThrowAsync<BulkheadFullException>();
        host.Stub.Calls.Should().Be(2);
        first.SetResult(host.Stub.Track(HttpStatusCode.OK));
        second.SetResult(host.Stub.Track(HttpStatusCode.OK));
        (await call1).Dispose();
        (await call2).Dispose();
    }

    [Fact]
    public void Send_SyncSequential_ReleasesPermits()
    {
        using TestHost host = Host(TimeSpan.Zero);
        using HttpClient client = host.Client();

        for (int i = 0; i < 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "x");
            client.Send(request).Dispose();
        }

        host.Stub.Calls.Should().Be(3);
    }

    [Fact]
    public async Task Send_SyncWhileFull_RejectedWithoutReachingInner()
    {
        using TestHost host = Host(TimeSpan.Zero);
        TaskCompletionSource<HttpResponseMessage> first = host.Stub.Pending();
        TaskCompletionSource<HttpResponseMessage> second = host.Stub.Pending();
        using HttpClient client = host.Client();
        Task<HttpResponseMessage> call1 = client.GetAsync("x");
        Task<HttpResponseMessage> call2 = client.GetAsync("x");
        await host.WaitUntilAsync(() => host.Stub.Calls == 2);

        using var request = new HttpRequestMessage(HttpMethod.Get, "x");
        client.Invoking(c => c.Send(request)).Should().Throw<BulkheadFullException>();

        host.Stub.Calls.Should().Be(2);
        first.SetResult(host.Stub.Track(HttpStatusCode.OK));
        second.SetResult(host.Stub.Track(HttpStatusCode.OK));
        (await call1).Dispose();
        (await call2).Dispose();
    }
}
