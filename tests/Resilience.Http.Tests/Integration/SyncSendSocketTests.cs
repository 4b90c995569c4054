using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Resilience.Http.Tests.Integration;

/// <summary>The synchronous <see cref="HttpClient.Send(HttpRequestMessage)"/> path over a real socket.</summary>
public class SyncSendSocketTests
{
    [Fact]
    public async Task Send_AttemptOutlivesLimit_ThrowsTimeoutQuicklyAndServerSeesRequestAborted()
    {
        await using ScriptedServer server = await ScriptedServer.StartAsync();
        using IntegrationClient client = IntegrationClient.Create(server, b => b.AddTimeLimiter("t", o => o.TimeoutDuration = TimeSpan.FromMilliseconds(200)));
        await client.WarmUpAsync();
        long start = Stopwatch.GetTimestamp();

        Action call = () => client.Http.Send(new HttpRequestMessage(HttpMethod.Get, "delay/5000/sync-t"));

        call.Should().Throw<TimeLimiterTimeoutException>();
        Stopwatch.GetElapsedTime(start).Should().BeLessThan(TimeSpan.FromSeconds(3));
        ScriptedServer.PathStats stats = server.Stats("/delay/5000/sync-t");
        (await IntegrationClient.WaitUntilAsync(() => server.NextChange, () => stats.Aborted == 1)).Should().BeTrue("the timeout cancels the request on the socket ({0} requests, {1} aborted)", stats.Requests, stats.Aborted);
        stats.Requests.Should().Be(1);
    }

    [Fact]
    public async Task Send_ConnectionDroppedOnGet_RetriedAndEachAttemptCountedAsBreakerFailure()
    {
        await using ScriptedServer server = await ScriptedServer.StartAsync();
        using IntegrationClient client = IntegrationClient.Create(server, b => b
            .AddRetry("r", o =>
            {
                o.MaxAttempts = 3;
                o.WaitDuration = TimeSpan.FromMilliseconds(10);
            })
            .AddCircuitBreaker("cb", o =>
            {
                o.SlidingWindowSize = 10;
                o.MinimumNumberOfCalls = 10;
            }));

        Action call = () => client.Http.Send(new HttpRequestMessage(HttpMethod.Get, "abort/sync"));

        call.Should().Throw<HttpRequestException>();
        server.Stats("/abort/sync").Requests.Should().Be(3);
        client.Breaker.GetMetrics().NumberOfFailedCalls.Should().Be(3);
    }
}
