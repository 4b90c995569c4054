using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Resilience.Http.Handlers;
using Resilience.Http.Internal;
using Resilience.Http.Telemetry;

namespace Resilience.Http.Tests.Handlers;

public class StandardCompositionTests
{
    internal static List<ResilienceHandler> Chain(TestHost host)
    {
        HttpMessageHandler? handler = host.Provider.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(TestHost.ClientName);
        var chain = new List<ResilienceHandler>();
        while (handler is DelegatingHandler delegating)
        {
            if (delegating is ResilienceHandler resilience)
            {
                chain.Add(resilience);
            }

            handler = delegating.InnerHandler;
        }

        return chain;
    }

    private static TestHost Standard(Action<HttpResilienceOptions> configure) =>
        TestHost.Create(_ => { }, s => s.AddResilientHttpClient(TestHost.ClientName, configure));

    [Fact]
    public void AddResilientHttpClient_AllLayers_OrderedOutsideIn()
    {
        using TestHost host = Standard(o =>
        {
            o.RateLimiter = new RequestRateLimiterOptions();
            o.Bulkhead = new BulkheadOptions();
        });

        List<ResilienceHandler> chain = Chain(host);

        chain.Select(h => h.GetType()).Should().Equal(
            typeof(RateLimiterHandler),
            typeof(TimeLimiterHandler),
            typeof(RetryHandler),
            typeof(CircuitBreakerHandler),
            typeof(BulkheadHandler),
            typeof(TimeLimiterHandler));
        chain.Select(h => h.Source.InstanceName).Should().Equal("c", "c-total", "c", "c", "c", "c");
    }

    [Fact]
    public void AddResilientHttpClient_Defaults_FourLayersAndInfiniteTimeout()
    {
        using TestHost host = Standard(_ => { });

        Chain(host).Select(h => h.Source.Kind).Should().Equal(
            ResilienceKinds.TimeLimiter, ResilienceKinds.Retry, ResilienceKinds.CircuitBreaker, ResilienceKinds.TimeLimiter);
        using HttpClient client = host.Client();
        client.Timeout.Should().Be(System.Threading.Timeout.InfiniteTimeSpan);
    }

    [Fact]
    public void AddResilientHttpClient_NoTotalLimit_KeepsDefaultClientTimeout()
    {
        using TestHost host = Standard(o => o.TotalTimeLimiter = null);

        using HttpClient client = host.Client();

        client.Timeout.Should().Be(TimeSpan.FromSeconds(100));
        Chain(host).Should().HaveCount(3);
    }

    [Fact]
    public async Task SendAsync_RetryAfterBeyondTotalLimit_Returns503AtOnce()
    {
        using TestHost host = Standard(o => o.TotalTimeLimiter = new TimeLimiterOptions { TimeoutDuration = TimeSpan.FromSeconds(5) });
        host.Stub.Respond(HttpStatusCode.ServiceUnavailable, retryAfter: "60");
        using HttpClient client = host.Client();

        Task<HttpResponseMessage> call = client.GetAsync("x");

        call.IsCompleted.Should().BeTrue();
        using HttpResponseMessage response = await call;
        response.Should().BeSameAs(host.Stub.Responses.Single());
        ((TrackedResponse)response).Disposed.Should().BeFalse();
        host.Stub.Calls.Should().Be(1);
    }

    [Fact]
    public async Task SendAsync_BackoffBeyondTotalLimit_Returns503AtOnce()
    {
        using TestHost host = Standard(o =>
        {
            o.TotalTimeLimiter = new TimeLimiterOptions { TimeoutDuration = TimeSpan.FromSeconds(5) };
            o.Retry = new HttpRetryOptions { MaxAttempts = 3, WaitDuration = TimeSpan.FromSeconds(10), RandomizationFactor = 0 };
        });
        host.Stub.Respond(HttpStatusCode.ServiceUnavailable);
        using HttpClient client = host.Client();

        Task<HttpResponseMessage> call = client.GetAsync("x");

        call.IsCompleted.Should().BeTrue("a backoff wait that would end after the total limit stops the retries too");
        using HttpResponseMessage response = await call;
        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        host.Stub.Calls.Should().Be(1);
    }

    [Fact]
    public async Task SendAsync_AttemptTimeout_RetriedAndCountedByBreaker()
    {
        using TestHost host = Standard(o =>
        {
            o.AttemptTimeLimiter = new TimeLimiterOptions { TimeoutDuration = TimeSpan.FromSeconds(1) };
            o.Retry = new HttpRetryOptions { MaxAttempts = 2, WaitDuration = TimeSpan.FromSeconds(1), RandomizationFactor = 0 };
        });
        host.Stub.HonourToken();
        using HttpClient client = host.Client();

        // The clock moves only once the timer it must fire exists: the attempt's limit is armed when the first attempt
        // goes pending, after the stub counted it; the retry's wait is created after the breaker recorded the failure.
        TimeSpan second = TimeSpan.FromSeconds(1);
        Task<HttpResponseMessage> call = client.GetAsync("x");
        await host.WaitUntilAsync(() => host.Stub.Calls == 1 && host.Time.TimersArmed(second) == 1);
        host.Time.Advance(second);
        CircuitBreaker breaker = host.Slot<HttpCircuitBreakerOptions, BreakerSet>(ResilienceKinds.CircuitBreaker).Single!;
        await host.WaitUntilAsync(() => breaker.GetMetrics().NumberOfFailedCalls == 1 && host.Time.TimersCreated(second) == 1);
        host.Time.Advance(second);
        using HttpResponseMessage response = await call.WaitAsync(TimeSpan.FromSeconds(10));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        host.Stub.Calls.Should().Be(2);
        breaker.GetMetrics().NumberOfBufferedCalls.Should().Be(2);
        breaker.GetMetrics().NumberOfFailedCalls.Should().Be(1);
        host.Slot<HttpRetryOptions, HttpRetryPolicy>(ResilienceKinds.Retry).Retry.GetMetrics()
            .NumberOfSuccessfulCallsWithRetryAttempt.Should().Be(1);
    }

    [Fact]
    public async Task SendAsync_TotalLimitExpires_TimesOutWholeCall()
    {
        using TestHost host = Standard(o =>
        {
            o.TotalTimeLimiter = new TimeLimiterOptions { TimeoutDuration = TimeSpan.FromSeconds(3) };
            o.AttemptTimeLimiter = null;
        });
        host.Stub.HonourToken();
        using HttpClient client = host.Client();

        Task<HttpResponseMessage> call = client.GetAsync("x");
        await host.WaitUntilAsync(() => host.Stub.Calls == 1);
        host.Time.Advance(TimeSpan.FromSeconds(3));

        await call.Invoking(t => t).Should().ThrowAsync<TimeLimiterTimeoutException>();
        host.Stub.Calls.Should().Be(1);
    }
}
