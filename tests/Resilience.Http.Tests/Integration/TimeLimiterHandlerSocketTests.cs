using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Resilience.Http.Tests.Integration;

public class TimeLimiterHandlerSocketTests
{
    [Fact]
    public async Task SendAsync_AttemptOutlivesLimit_ThrowsTimeoutQuicklyAndServerSeesRequestAborted()
    {
        await using ScriptedServer server = await ScriptedServer.StartAsync();
        using IntegrationClient client = IntegrationClient.Create(server, b => b.AddTimeLimiter("t", o => o.TimeoutDuration = TimeSpan.FromMilliseconds(200)));
        await client.WarmUpAsync();
        long start = Stopwatch.GetTimestamp();

        Func<Task> call = () => client.Http.GetAsync("delay/5000/t");

        await call.Should().ThrowAsync<TimeLimiterTimeoutException>();
        Stopwatch.GetElapsedTime(start).Should().BeLessThan(TimeSpan.FromSeconds(3));
        ScriptedServer.PathStats stats = server.Stats("/delay/5000/t");
        (await IntegrationClient.WaitUntilAsync(() => server.NextChange, () => stats.Aborted == 1)).Should().BeTrue("the timeout cancels the request on the socket ({0} requests, {1} aborted)", stats.Requests, stats.Aborted);
        stats.Requests.Should().Be(1);
    }

    [Fact]
    public async Task SendAsync_StandardCompositionEveryAttemptTimesOut_EachAttemptAbortedAtServer()
    {
        await using ScriptedServer server = await ScriptedServer.StartAsync();
        using IntegrationClient client = IntegrationClient.CreateWith(server, s => s.AddResilientHttpClient(IntegrationClient.Name, o =>
        {
            o.Retry!.MaxAttempts = 2;
            o.Retry.WaitDuration = TimeSpan.FromMilliseconds(10);
            o.AttemptTimeLimiter!.TimeoutDuration = TimeSpan.FromSeconds(1);
        }));
        await client.WarmUpAsync();
        long failedBefore = client.Breaker.GetMetrics().NumberOfFailedCalls;

        Func<Task> call = () => client.Http.GetAsync("delay/5000/std");

        await call.Should().ThrowAsync<TimeLimiterTimeoutException>();
        ScriptedServer.PathStats stats = server.Stats("/delay/5000/std");
        // An attempt whose new connection is not up within the limit on a loaded machine never reaches the server,
        // so the server sees one or two requests; every one it sees must be aborted.
        (await IntegrationClient.WaitUntilAsync(() => server.NextChange, () => stats.Requests >= 1 && stats.Aborted == stats.Requests)).Should().BeTrue(
            "each attempt's timeout cancels it on the socket ({0} requests, {1} aborted)", stats.Requests, stats.Aborted);
        stats.Requests.Should().BeInRange(1, 2);
        (client.Breaker.GetMetrics().NumberOfFailedCalls - failedBefore).Should().Be(2);
    }
}
