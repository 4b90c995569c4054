using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Resilience.Http.Internal;
using Resilience.Http.Telemetry;

namespace Resilience.Http.Tests.Handlers;

public class CircuitBreakerHandlerTests
{
    private static TestHost Host(Action<HttpCircuitBreakerOptions>? configure = null) =>
        TestHost.Create(b => b.AddCircuitBreaker("cb", o =>
        {
            o.SlidingWindowSize = 4;
            o.MinimumNumberOfCalls = 4;
            o.WaitDurationInOpenState = TimeSpan.FromSeconds(10);
            o.PermittedNumberOfCallsInHalfOpenState = 1;
            configure?.Invoke(o);
        }));

    private static BreakerSet Breakers(TestHost host) => host.Slot<HttpCircuitBreakerOptions, BreakerSet>(ResilienceKinds.CircuitBreaker);

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(408)]
    [InlineData(429)]
    public async Task SendAsync_FailureStatusCodes_OpenBreaker(int status)
    {
        using TestHost host = Host();
        host.Stub.Respond((HttpStatusCode)status, times: 4);
        using HttpClient client = host.Client();

        for (int i = 0; i < 4; i++)
        {
            using HttpResponseMessage response = await client.GetAsync("x");
            response.StatusCode.Should().Be((HttpStatusCode)status);
        }

        Breakers(host).Single!.State.Should().Be(CircuitBreakerState.Open);
        Breakers(host).Single!.GetMetrics().NumberOfFailedCalls.Should().Be(4);
    }

    [Fact]
    public async Task SendAsync_HttpRequestExceptions_OpenBreaker()
    {
        using TestHost host = Host();
        host.Stub.Throw(times: 4);
        using HttpClient client = host.Client();

        for (int i = 0; i < 4; i++)
        {
            await client.Invoking(c => c.GetAsync("x")).Should().ThrowAsync<HttpRequestException>();
        }

        Breakers(host).Single!.State.Should().Be(CircuitBreakerState.Open);
    }

    [Fact]
    public async Task SendAsync_Open_ThrowsWithoutCallingInner()
    {
        using TestHost host = Host();
        host.Stub.Respond(HttpStatusCode.InternalServerError, times: 4);
        using HttpClient client = host.Client();
        for (int i = 0; i < 4; i++)
        {
            (await client.GetAsync("x")).Dispose();
        }

        await client.Invoking(c => c.GetAsync("x")).Should().ThrowAsync<CallNotPermittedException>();

        host.Stub.Calls.Should().Be(4);
    }

    [Fact]
    public async Task SendAsync_NotFound_IsSuccess()
    {
        using TestHost host = Host();
        host.Stub.Respond(HttpStatusCode.NotFound, times: 4);
        using HttpClient client = host.Client();

        for (int i = 0; i < 4; i++)
        {
            (await client.GetAsync("x")).Dispose();
        }

        CircuitBreakerMetrics metrics = Breakers(host).Single!.GetMetrics();
        metrics.NumberOfBufferedCalls.Should().Be(4);
        metrics.NumberOfFailedCalls.Should().Be(0);
        Breakers(host).Single!.State.Should().Be(CircuitBreakerState.Closed);
    }

    [Fact]
    public async Task SendAsync_CallerCancels_RecordsNothing()
    {
        using TestHost host = Host();
        host.Stub.HonourToken();
        using HttpClient client = host.Client();
        using var cts = new CancellationTokenSource();

        Task<HttpResponseMessage> call = client.GetAsync("x", cts.Token);
        await host.WaitUntilAsync(() => host.Stub.Calls == 1);
        await cts.CancelAsync();

        await call.Invoking(t => t).Should().ThrowAsync<OperationCanceledException>();
        Breakers(host).Single!.GetMetrics().NumberOfBufferedCalls.Should().Be(0);
    }

    [Fact]
    public async Task SendAsync_CallerCancelsInHalfOpen_GivesPermitBack()
    {
        using TestHost host = Host();
        host.Stub.Respond(HttpStatusCode.InternalServerError, times: 4).HonourToken();
        using HttpClient client = host.Client();
        for (int i = 0; i < 4; i++)
        {
            (await client.GetAsync("x")).Dispose();
        }

        host.Time.Advance(TimeSpan.FromSeconds(10));
        using var cts = new CancellationTokenSource();
        Task<HttpResponseMessage> call = client.GetAsync("x", cts.Token);
        await host.WaitUntilAsync(() => host.Stub.Calls == 5);
        Breakers(host).Single!.State.Should().Be(CircuitBreakerState.HalfOpen);
        await cts.CancelAsync();
        await call.Invoking(t => t).Should().ThrowAsync<OperationCanceledException>();

        using HttpResponseMessage next = await client.GetAsync("x");

        next.StatusCode.Should().Be(HttpStatusCode.OK);
        host.Stub.Calls.Should().Be(6);
        Breakers(host).Single!.State.Should().Be(CircuitBreakerState.Closed);
    }

    [Fact]
    public async Task SendAsync_CustomFailureStatusCodes_OnlyThoseFail()
    {
        using TestHost host = Host(o => o.FailureStatusCodes = [404]);
        host.Stub.Respond(HttpStatusCode.InternalServerError, times: 2).Respond(HttpStatusCode.NotFound, times: 2);
        using HttpClient client = host.Client();

        for (int i = 0; i < 4; i++)
        {
            (await client.GetAsync("x")).Dispose();
        }

        Breakers(host).Single!.GetMetrics().NumberOfFailedCalls.Should().Be(2);
    }

    [Fact]
    public async Task SendAsync_FailureResponsePredicate_Decides()
    {
        using TestHost host = Host(o => o.FailureResponsePredicate = r => r.StatusCode == HttpStatusCode.Accepted);
        host.Stub.Respond(HttpStatusCode.Accepted, times: 4);
        using HttpClient client = host.Client();

        for (int i = 0; i < 4; i++)
        {
            (await client.GetAsync("x")).Dispose();
        }

        Breakers(host).Single!.State.Should().Be(CircuitBreakerState.Open);
    }

    [Fact]
    public async Task SendAsync_RecordResultPredicate_AddsToTheFailureRule()
    {
        using TestHost host = Host(o => o.RecordResultPredicate = r => r is HttpResponseMessage { StatusCode: HttpStatusCode.Accepted });
        host.Stub.Respond(HttpStatusCode.InternalServerError, times: 2).Respond(HttpStatusCode.Accepted, times: 2);
        using HttpClient client = host.Client();

        for (int i = 0; i < 4; i++)
        {
            (await client.GetAsync("x")).Dispose();
        }

        Breakers(host).Single!.State.Should().Be(CircuitBreakerState.Open, "500 by the status rule and 202 by the predicate are both failures");
    }

    [Fact]
    public async Task SendAsync_PerAuthority_FailuresOnOneHostLeaveOtherClosed()
    {
        using TestHost host = Host(o => o.PerAuthority = true);
        host.Stub.Respond(HttpStatusCode.InternalServerError, times: 4);
        using HttpClient client = host.Client();
        for (int i = 0; i < 4; i++)
        {
            (await client.GetAsync("http://a.test/x")).Dispose();
        }

        await client.Invoking(c => c.GetAsync("http://a.test/x")).Should().ThrowAsync<CallNotPermittedException>();
        using HttpResponseMessage other = await client.GetAsync("http://b.test/x");

        other.StatusCode.Should().Be(HttpStatusCode.OK);
        host.Stub.Calls.Should().Be(5);
        Breakers(host).AuthorityCount.Should().Be(2);
    }

    [Fact]
    public async Task SendAsync_PerAuthorityIdle_EvictedBySweepOnAnotherHost()
    {
        using TestHost host = Host(o =>
        {
            o.PerAuthority = true;
            o.AuthorityIdleTimeout = TimeSpan.FromMinutes(1);
        });
        host.Stub.Respond(HttpStatusCode.InternalServerError, times: 4);
        using HttpClient client = host.Client();
        for (int i = 0; i < 4; i++)
        {
            (await client.GetAsync("http://a.test/x")).Dispose();
        }

        CircuitBreaker opened = Breakers(host).Breakers.Single();
        opened.State.Should().Be(CircuitBreakerState.Open);

        host.Time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        (await client.GetAsync("http://b.test/x")).Dispose();

        Breakers(host).AuthorityCount.Should().Be(1);
        using HttpResponseMessage again = await client.GetAsync("http://a.test/x");
        again.StatusCode.Should().Be(HttpStatusCode.OK);
        Breakers(host).Breakers.Should().NotContain(opened);
        Breakers(host).Breakers.Should().OnlyContain(b => b.State == CircuitBreakerState.Closed);
    }

    [Fact]
    public void Send_Sync_FailuresOpenThenRejectWithoutCallingInner()
    {
        using TestHost host = Host();
        host.Stub.Respond(HttpStatusCode.InternalServerError, times: 3).Throw();
        using HttpClient client = host.Client();
        for (int i = 0; i < 3; i++)
        {
            client.Send(new HttpRequestMessage(HttpMethod.Get, "x")).Dispose();
        }

        client.Invoking(c => c.Send(new HttpRequestMessage(HttpMethod.Get, "x"))).Should().Throw<HttpRequestException>();
        client.Invoking(c => c.Send(new HttpRequestMessage(HttpMethod.Get, "x"))).Should().Throw<CallNotPermittedException>();

        host.Stub.Calls.Should().Be(4);
    }

    [Fact]
    public async Task SendAsync_SynchronousSuccess_ReturnsStubResponse()
    {
        using TestHost host = Host();
        using HttpClient client = host.Client();

        using HttpResponseMessage response = await client.GetAsync("x");

        response.Should().BeSameAs(host.Stub.Responses.Single());
        Breakers(host).Single!.GetMetrics().NumberOfBufferedCalls.Should().Be(1);
    }
}
