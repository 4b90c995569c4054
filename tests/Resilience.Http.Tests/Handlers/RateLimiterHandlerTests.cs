using System.Net;
using Microsoft.Extensions.DependencyInjection;

namespace Resilience.Http.Tests.Handlers;

public class RateLimiterHandlerTests
{
    private static TestHost Host() => TestHost.Create(b => b.AddRateLimiter("rl", o =>
    {
        o.LimitForPeriod = 2;
        o.LimitRefreshPeriod = TimeSpan.FromSeconds(1);
        o.TimeoutDuration = TimeSpan.Zero;
    }));

    [Fact]
    public async Task SendAsync_OverLimit_RejectedWithoutReachingInnerUntilRefresh()
    {
        using TestHost host = Host();
        using HttpClient client = host.Client();
        (await client.GetAsync("x")).Dispose();
        (await client.GetAsync("x")).Dispose();

        await client.Invoking(c => c.GetAsync("x")).Should().ThrowAsync<RequestNotPermittedException>();
        host.Stub.Calls.Should().Be(2);

        host.Time.Advance(TimeSpan.FromSeconds(1));
        using HttpResponseMessage response = await client.GetAsync("x");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        host.Stub.Calls.Should().Be(3);
    }

    [Fact]
    public void Send_SyncOverLimit_Rejected()
    {
        using TestHost host = Host();
        using HttpClient client = host.Client();
        for (int i = 0; i < 2; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "x");
            client.Send(request).Dispose();
        }

        using var third = new HttpRequestMessage(HttpMethod.Get, "x");
        client.Invoking(c => c.Send(third)).Should().Throw<RequestNotPermittedException>();
        host.Stub.Calls.Should().Be(2);
    }

    [Fact]
    public async Task SendAsync_OverLimitWithTimeout_WaitsForNextPeriodThenSends()
    {
        using TestHost host = TestHost.Create(b => b.AddRateLimiter("rl", o =>
        {
            o.LimitForPeriod = 1;
            o.LimitRefreshPeriod = TimeSpan.FromSeconds(1);
            o.TimeoutDuration = TimeSpan.FromSeconds(5);
        }));
        using HttpClient client = host.Client();
        (await client.GetAsync("x")).Dispose();

        Task<HttpResponseMessage> waiting = client.GetAsync("x");
        waiting.IsCompleted.Should().BeFalse();
        host.Stub.Calls.Should().Be(1);
        host.Time.Advance(TimeSpan.FromSeconds(1));

        using HttpResponseMessage response = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        host.Stub.Calls.Should().Be(2);
    }
}
