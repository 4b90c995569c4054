using System.Net;
using Microsoft.Extensions.DependencyInjection;

namespace Resilience.Http.Tests.Integration;

public class CircuitBreakerHandlerSocketTests
{
    [Fact]
    public async Task SendAsync_BreakerOpenedBy503s_RejectsWithoutReachingServer()
    {
        await using ScriptedServer server = await ScriptedServer.StartAsync();
        using IntegrationClient client = IntegrationClient.Create(server, b => b.AddCircuitBreaker("cb", o =>
        {
            o.SlidingWindowSize = 4;
            o.MinimumNumberOfCalls = 4;
            o.FailureRateThreshold = 50;
            o.WaitDurationInOpenState = TimeSpan.FromMinutes(1);
        }));
        const string path = "status/503/cb";

        for (int i = 0; i < 4; i++)
        {
            using HttpResponseMessage response = await client.Http.GetAsync(path);
            response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        }

        client.Breaker.State.Should().Be(CircuitBreakerState.Open);
        for (int i = 0; i < 5; i++)
        {
            Func<Task> call = () => client.Http.GetAsync(path);
            await call.Should().ThrowAsync<CallNotPermittedException>();
        }

        server.Stats("/" + path).Requests.Should().Be(4);
        client.Breaker.GetMetrics().NumberOfNotPermittedCalls.Should().Be(5);
    }

    [Fact]
    public async Task SendAsync_ConnectionDroppedOnGet_RetriedAndEachAttemptCountedAsBreakerFailure()
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

        Func<Task> call = () => client.Http.GetAsync("abort/get");

        await call.Should().ThrowAsync<HttpRequestException>();
        server.Stats("/abort/get").Requests.Should().Be(3);
        CircuitBreakerMetrics metrics = client.Breaker.GetMetrics();
        metrics.NumberOfBufferedCalls.Should().Be(3);
        metrics.NumberOfFailedCalls.Should().Be(3);
    }
}
