using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;

namespace Resilience.Http.Tests.Integration;

public class CancellationSocketTests
{
    [Fact]
    public async Task SendAsync_CallerCancelsDuringSlowResponse_ThrowsPromptlyAndLeavesBreakerUnchanged()
    {
        await using ScriptedServer server = await ScriptedServer.StartAsync();
        using IntegrationClient client = IntegrationClient.CreateWith(server, s => s.AddResilientHttpClient(IntegrationClient.Name, o =>
        {
            o.Retry!.WaitDuration = TimeSpan.FromMilliseconds(10);
        }));
        using (HttpResponseMessage warmUp = await client.Http.GetAsync("status/200/c"))
        {
            warmUp.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        CircuitBreakerMetrics before = client.Breaker.GetMetrics();
        ScriptedServer.PathStats stats = server.Stats("/delay/5000/c");
        using var cts = new CancellationTokenSource();
        Task<HttpResponseMessage> call = client.Http.GetAsync("delay/5000/c", cts.Token);
        (await IntegrationClient.WaitUntilAsync(() => server.NextChange, () => stats.Requests == 1)).Should().BeTrue();
        long cancelledAt = Stopwatch.GetTimestamp();
        await cts.CancelAsync();

        Func<Task> awaiting = () => call;

        await awaiting.Should().ThrowAsync<OperationCanceledException>();
        Stopwatch.GetElapsedTime(cancelledAt).Should().BeLessThan(TimeSpan.FromSeconds(2));
        client.Breaker.GetMetrics().Should().Be(before);
        before.NumberOfBufferedCalls.Should().Be(1);
        (await IntegrationClient.WaitUntilAsync(() => server.NextChange, () => stats.Aborted == 1)).Should().BeTrue("the cancellation reaches the socket");
        stats.Requests.Should().Be(1, "the caller's cancellation is never retried");
    }

    [Fact]
    public async Task SendAsync_CallerCancelsDuringRetryAfterWait_ThrowsPromptlyWithoutAnotherAttempt()
    {
        await using ScriptedServer server = await ScriptedServer.StartAsync();
        using IntegrationClient client = IntegrationClient.Create(server, b => b.AddRetry("r", o =>
        {
            o.MaxAttempts = 3;
            o.MaxRetryAfterDelay = TimeSpan.FromSeconds(30); // the hint of 5 s is honoured whole
        }));
        ScriptedServer.PathStats stats = server.Stats("/status/503/wait");
        using var cts = new CancellationTokenSource();
        Task<HttpResponseMessage> call = client.Http.GetAsync("status/503/wait?retryAfter=5", cts.Token);
        (await IntegrationClient.WaitUntilAsync(() => server.NextChange, () => stats.Requests == 1)).Should().BeTrue();
        long cancelledAt = Stopwatch.GetTimestamp();
        await cts.CancelAsync();

        Func<Task> awaiting = () => call;

        await awaiting.Should().ThrowAsync<OperationCanceledException>();
        Stopwatch.GetElapsedTime(cancelledAt).Should().BeLessThan(TimeSpan.FromSeconds(2));
        stats.Requests.Should().Be(1);
    }
}
