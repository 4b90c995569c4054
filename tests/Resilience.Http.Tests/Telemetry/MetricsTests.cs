using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Resilience.Http.Telemetry;

namespace Resilience.Http.Tests.Telemetry;

public sealed class MetricsTests
{
    private const string Instance = "backend";

    [Fact]
    public async Task BreakerCalls_SuccessAndFailure_CountedByOutcomeWithTags()
    {
        using var harness = new TelemetryHarness(b => b.AddCircuitBreaker(Instance));
        using HttpClient client = harness.CreateClient();

        (await client.GetAsync("ok")).Dispose();
        harness.Respond = _ => new HttpResponseMessage(HttpStatusCode.InternalServerError);
        (await client.GetAsync("fail")).Dispose();

        List<MeasurementRecord> calls = harness.Of("resilience.circuit_breaker.calls");
        calls.Select(c => c["outcome"]).Should().BeEquivalentTo(["successful", "failed"]);
        calls.Should().AllSatisfy(c =>
        {
            c.Value.Should().Be(1);
            c[ResilienceTelemetry.InstanceTag].Should().Be(Instance);
            c[ResilienceTelemetry.ClientTag].Should().Be(harness.ClientName);
        });
        harness.Of("resilience.circuit_breaker.call.duration").Should().HaveCount(2);
    }

    [Fact]
    public async Task BreakerCalls_WhenOpen_CountsNotPermittedAndGaugesShowOpen()
    {
        using var harness = new TelemetryHarness(
            b => b.AddCircuitBreaker(Instance, o => { o.SlidingWindowSize = 2; o.MinimumNumberOfCalls = 2; }),
            _ => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
        using HttpClient client = harness.CreateClient();
        (await client.GetAsync("a")).Dispose();
        (await client.GetAsync("b")).Dispose();

        Func<Task> refused = () => client.GetAsync("c");

        await refused.Should().ThrowAsync<CallNotPermittedException>();
        harness.Of("resilience.circuit_breaker.calls").Where(c => (string?)c["outcome"] == "not_permitted").Should().ContainSingle();
        List<MeasurementRecord> states = harness.Observe("resilience.circuit_breaker.state");
        states.Should().HaveCount(Enum.GetValues<CircuitBreakerState>().Length);
        states.Single(s => s.Value == 1)["state"].Should().Be("open");
        harness.Observe("resilience.circuit_breaker.failure_rate").Single().Value.Should().Be(100);
        harness.Observe("resilience.circuit_breaker.buffered_calls").Single().Value.Should().Be(2);
        harness.Observe("resilience.circuit_breaker.slow_call_rate").Single()[ResilienceTelemetry.ClientTag].Should().Be(harness.ClientName);
    }

    [Fact]
    public async Task RetryCalls_EachKind_CountedOnce()
    {
        int calls = 0;
        using var harness = new TelemetryHarness(b => b.AddRetry(Instance, o => { o.MaxAttempts = 2; o.WaitDuration = TimeSpan.Zero; }));
        using HttpClient client = harness.CreateClient();

        (await client.GetAsync("ok")).Dispose();
        harness.Respond = _ => new HttpResponseMessage(++calls == 1 ? HttpStatusCode.BadGateway : HttpStatusCode.OK);
        (await client.GetAsync("second-time")).Dispose();
        harness.Respond = _ => new HttpResponseMessage(HttpStatusCode.BadGateway);
        (await client.GetAsync("never")).Dispose();
        (await client.PostAsync("not-idempotent", null)).Dispose();

        harness.Of("resilience.retry.calls").Select(c => c["kind"]).Should().BeEquivalentTo(
            ["successful_without_retry", "successful_with_retry", "failed_with_retry", "failed_without_retry"]);
    }

    [Fact]
    public async Task BulkheadAndRateLimiterGauges_AfterOneCall_ReportPlacesAndPermissions()
    {
        using var harness = new TelemetryHarness(b => b
            .AddBulkhead(Instance, o => o.MaxConcurrentCalls = 5)
            .AddRateLimiter(Instance, o => { o.LimitForPeriod = 3; o.TimeoutDuration = TimeSpan.Zero; }));
        using HttpClient client = harness.CreateClient();

        (await client.GetAsync("a")).Dispose();

        harness.Observe("resilience.bulkhead.available_concurrent_calls").Single().Value.Should().Be(5);
        harness.Observe("resilience.bulkhead.max_allowed_concurrent_calls").Single()[ResilienceTelemetry.InstanceTag].Should().Be(Instance);
        harness.Observe("resilience.rate_limiter.available_permissions").Single().Value.Should().Be(2);
        harness.Observe("resilience.rate_limiter.waiting_callers").Single().Value.Should().Be(0);
    }

    [Fact]
    public async Task RateLimiterRejections_WhenNoPermissionLeft_Counted()
    {
        using var harness = new TelemetryHarness(b => b.AddRateLimiter(Instance, o => { o.LimitForPeriod = 1; o.TimeoutDuration = TimeSpan.Zero; }));
        using HttpClient client = harness.CreateClient();
        (await client.GetAsync("a")).Dispose();

        Func<Task> refused = () => client.GetAsync("b");

        await refused.Should().ThrowAsync<RequestNotPermittedException>();
        harness.Of("resilience.rate_limiter.rejections").Should().ContainSingle()
            .Which[ResilienceTelemetry.ClientTag].Should().Be(harness.ClientName);
    }

    [Fact]
    public async Task BulkheadRejections_WhenFull_Counted()
    {
        using var harness = new TelemetryHarness(b => b.AddBulkhead(Instance, o => { o.MaxConcurrentCalls = 1; o.MaxWaitDuration = TimeSpan.Zero; }));
        var pending = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.RespondAsync = (_, _) => pending.Task;
        using HttpClient client = harness.CreateClient();
        Task<HttpResponseMessage> first = client.GetAsync("a");

        Func<Task> refused = () => client.GetAsync("b");

        await refused.Should().ThrowAsync<BulkheadFullException>();
        pending.SetResult(new HttpResponseMessage(HttpStatusCode.OK));
        (await first).Dispose();
        harness.Of("resilience.bulkhead.rejections").Should().ContainSingle()
            .Which[ResilienceTelemetry.ClientTag].Should().Be(harness.ClientName);
    }

    [Fact]
    public async Task Timeouts_CallCutShort_Counted()
    {
        using var harness = new TelemetryHarness(b => b.AddTimeLimiter(Instance, o => o.TimeoutDuration = TimeSpan.FromSeconds(1)));
        var pending = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.RespondAsync = (_, ct) =>
        {
            ct.Register(() => pending.TrySetCanceled(ct));
            return pending.Task;
        };
        using HttpClient client = harness.CreateClient();

        Task<HttpResponseMessage> call = client.GetAsync("slow");
        harness.Time.Advance(TimeSpan.FromSeconds(2));

        await ((Func<Task>)(() => call)).Should().ThrowAsync<TimeLimiterTimeoutException>();
        harness.Of("resilience.time_limiter.timeouts").Should().ContainSingle()
            .Which[ResilienceTelemetry.InstanceTag].Should().Be(Instance);
    }

    [Fact]
    public async Task BreakerGauges_PerAuthority_TaggedWithAuthority()
    {
        using var harness = new TelemetryHarness(b => b.AddCircuitBreaker(Instance, o => o.PerAuthority = true));
        using HttpClient client = harness.CreateClient();

        (await client.GetAsync("http://one.test/")).Dispose();
        (await client.GetAsync("https://two.test/")).Dispose();

        harness.Observe("resilience.circuit_breaker.buffered_calls").Select(m => m[ResilienceTelemetry.AuthorityTag])
            .Should().BeEquivalentTo(["http://one.test:80", "https://two.test:443"]);
    }

    [Fact]
    public void ThreadPoolBulkheadGauges_RegistryConfigured_ReportQueueAndThreads()
    {
        using var registry = new ThreadPoolBulkheadRegistry();
        string name = "pool-" + Guid.NewGuid().ToString("N");
        registry.GetOrCreate(name, new ThreadPoolBulkheadOptions { CoreThreadPoolSize = 1, MaxThreadPoolSize = 2, QueueCapacity = 7 });
        using var harness = new TelemetryHarness(_ => { }, configureServices: s => s.AddResilienceTelemetry(o => o.ThreadPoolBulkheadRegistries.Add(registry)));
        harness.Services.GetRequiredService<HttpResilienceTelemetry>();

        harness.Observe("resilience.thread_pool_bulkhead.queue_capacity").Should().ContainSingle()
            .Which.Should().Match<MeasurementRecord>(m => m.Value == 7 && (string?)m[ResilienceTelemetry.InstanceTag] == name);
        harness.Observe("resilience.thread_pool_bulkhead.queue_depth").Single().Value.Should().Be(0);
        harness.Observe("resilience.thread_pool_bulkhead.thread_pool_size").Should().ContainSingle();
    }
}
