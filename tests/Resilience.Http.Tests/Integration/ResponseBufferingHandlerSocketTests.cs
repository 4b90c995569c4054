using System.Net;

namespace Resilience.Http.Tests.Integration;

/// <summary>
/// A body that breaks or stalls while the attempt buffers it is a failure of that attempt: recorded by the breaker,
/// retried where the method allows it, and bounded by the per-attempt time limit.
/// </summary>
public class ResponseBufferingHandlerSocketTests
{
    /// <summary>Generous for a loaded 2-core machine; without the attempt's buffering the calls below hang or fail otherwise.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task GetStringAsync_BodyBreaksAfter200_RetriedAndBreakerRecordsFailure()
    {
        await using ScriptedServer server = await ScriptedServer.StartAsync();
        using IntegrationClient client = DeadlineContentSocketTests.Client(server, o => o.TotalTimeLimiter!.TimeoutDuration = TimeSpan.FromSeconds(5));
        await client.WarmUpAsync();
        long failedBefore = client.Breaker.GetMetrics().NumberOfFailedCalls;

        string body = await client.Http.GetStringAsync("break/1/get").WaitAsync(Bound);

        body.Should().Be(ScriptedServer.Body);
        server.Stats("/break/1/get").Requests.Should().Be(2);
        (client.Breaker.GetMetrics().NumberOfFailedCalls - failedBefore).Should().Be(1);
    }

    [Fact]
    public async Task PostAsync_BodyBreaksAfter200_NotRetriedAndBreakerRecordsFailure()
    {
        await using ScriptedServer server = await ScriptedServer.StartAsync();
        using IntegrationClient client = DeadlineContentSocketTests.Client(server, o => o.TotalTimeLimiter!.TimeoutDuration = TimeSpan.FromSeconds(5));
        await client.WarmUpAsync();
        long failedBefore = client.Breaker.GetMetrics().NumberOfFailedCalls;
        using var content = new StringContent("x");

        Func<Task> call = () => client.Http.PostAsync("break/1/post", content).WaitAsync(Bound);

        await call.Should().ThrowAsync<HttpRequestException>();
        server.Stats("/break/1/post").Requests.Should().Be(1);
        (client.Breaker.GetMetrics().NumberOfFailedCalls - failedBefore).Should().Be(1);
    }

    [Fact]
    public async Task GetAsync_BufferedBodyStallsPastAttemptLimit_EachAttemptTimesOutAndIsRecorded()
    {
        await using ScriptedServer server = await ScriptedServer.StartAsync();
        using IntegrationClient client = DeadlineContentSocketTests.Client(server, o =>
        {
            o.TotalTimeLimiter!.TimeoutDuration = TimeSpan.FromSeconds(6);
            o.AttemptTimeLimiter!.TimeoutDuration = TimeSpan.FromMilliseconds(500);
            o.Retry!.MaxAttempts = 2;
        });
        await client.WarmUpAsync();
        long failedBefore = client.Breaker.GetMetrics().NumberOfFailedCalls;

        Func<Task> call = () => client.Http.GetAsync("stall/100/attempt").WaitAsync(Bound);

        (await call.Should().ThrowAsync<TimeLimiterTimeoutException>()).Which.TimeLimiterName.Should().Be(IntegrationClient.Name);
        ScriptedServer.PathStats stats = server.Stats("/stall/100/attempt");
        (await IntegrationClient.WaitUntilAsync(() => server.NextChange, () => stats.Aborted == 2)).Should().BeTrue(
            "each attempt's connection is closed ({0} requests, {1} aborted)", stats.Requests, stats.Aborted);
        stats.Requests.Should().Be(2);
        (client.Breaker.GetMetrics().NumberOfFailedCalls - failedBefore).Should().Be(2);
        using HttpResponseMessage next = await client.Http.GetAsync("status/200/next").WaitAsync(Bound);
        next.StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
