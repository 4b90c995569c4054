using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Resilience.Http.Telemetry;

namespace Resilience.Http.Tests.Telemetry;

public sealed class HealthAndAllocationTests
{
    private const string Instance = "backend";

    [Fact]
    public async Task AddCircuitBreakers_EachState_ReportsConfiguredStatusAndData()
    {
        using var harness = new TelemetryHarness(b => b.AddCircuitBreaker(Instance), configureServices: s => s.AddHealthChecks().AddCircuitBreakers());
        using HttpClient client = harness.CreateClient();
        (await client.GetAsync("a")).Dispose();
        HealthCheckService health = harness.Services.GetRequiredService<HealthCheckService>();
        CircuitBreaker breaker = LoggingAndTracingTests.BreakerOf(harness);

        HealthReport closed = await health.CheckHealthAsync();
        breaker.TransitionToOpenState();
        HealthReport open = await health.CheckHealthAsync();
        breaker.TransitionToHalfOpenState();
        HealthReport halfOpen = await health.CheckHealthAsync();

        closed.Status.Should().Be(HealthStatus.Healthy);
        open.Status.Should().Be(HealthStatus.Unhealthy);
        halfOpen.Status.Should().Be(HealthStatus.Degraded);
        HealthReportEntry entry = closed.Entries["circuit-breakers"];
        var data = (IReadOnlyDictionary<string, object>)entry.Data[$"{harness.ClientName}/{Instance}"];
        data["state"].Should().Be("closed");
        data["bufferedCalls"].Should().Be(1L);
        open.Entries["circuit-breakers"].Description.Should().Contain($"{harness.ClientName}/{Instance} is open");
    }

    [Fact]
    public async Task AddCircuitBreakers_OpenStatusDegraded_ReportsDegraded()
    {
        using var harness = new TelemetryHarness(
            b => b.AddCircuitBreaker(Instance),
            configureServices: s => s.AddHealthChecks().AddCircuitBreakers("cb", openStatus: HealthStatus.Degraded, tags: ["ready"]));
        using HttpClient client = harness.CreateClient();
        (await client.GetAsync("a")).Dispose();
        LoggingAndTracingTests.BreakerOf(harness).TransitionToForcedOpenState();

        HealthReport report = await harness.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Tags.Contains("ready"));

        report.Entries.Should().ContainKey("cb").WhoseValue.Status.Should().Be(HealthStatus.Degraded);
    }

    [Fact]
    public async Task AddCircuitBreakers_OpenAndTrafficStopsThenWaitRunsOut_NoLongerTakesTheInstanceOutOfService()
    {
        // A readiness probe: the breaker opens, the instance is reported unhealthy and gets no traffic; once the
        // breaker's wait has run out it would admit a trial call, so the check must let traffic back in.
        using var harness = new TelemetryHarness(
            b => b.AddCircuitBreaker(Instance, o => o.WaitDurationInOpenState = TimeSpan.FromSeconds(5)),
            configureServices: s => s.AddHealthChecks().AddCircuitBreakers());
        using HttpClient client = harness.CreateClient();
        (await client.GetAsync("a")).Dispose();
        HealthCheckService health = harness.Services.GetRequiredService<HealthCheckService>();
        CircuitBreaker breaker = LoggingAndTracingTests.BreakerOf(harness);
        breaker.TransitionToOpenState();

        HealthReport whileWaiting = await health.CheckHealthAsync();
        harness.Time.Advance(TimeSpan.FromSeconds(5));
        HealthReport afterWait = await health.CheckHealthAsync();

        whileWaiting.Status.Should().Be(HealthStatus.Unhealthy);
        afterWait.Status.Should().Be(HealthStatus.Degraded, "an open breaker whose wait is over is ready to probe");
        afterWait.Entries["circuit-breakers"].Description.Should().Contain("ready to probe");
        var data = (IReadOnlyDictionary<string, object>)afterWait.Entries["circuit-breakers"].Data[$"{harness.ClientName}/{Instance}"];
        data["readyToProbe"].Should().Be(true);
    }

    [ReleaseOnlyFact]
    public void Hooks_NothingListening_AllocateNothing()
    {
        using var telemetry = new HttpResilienceTelemetry(NullLoggerFactory.Instance);
        var source = new TelemetrySource("client", Instance, ResilienceKinds.CircuitBreaker);
        var breaker = new CircuitBreaker("b");
        Run(telemetry, source, breaker, 200); // warm up: tags are built at first use, and the JIT settles

        long before = GC.GetAllocatedBytesForCurrentThread();
        Run(telemetry, source, breaker, 1000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        allocated.Should().Be(0);
    }

    [ReleaseOnlyFact]
    public async Task Handlers_SynchronousSuccessNothingListening_AllocateNothingInTelemetry()
    {
        var services = new ServiceCollection();
        var response = new HttpResponseMessage(HttpStatusCode.OK);
        var completed = Task.FromResult(response);
        // The factory's own logging handlers allocate per request; they are removed so that only ours are measured.
        services.AddHttpClient("alloc").RemoveAllLoggers().AddCircuitBreaker(Instance).AddRetry(Instance)
            .ConfigurePrimaryHttpMessageHandler(() => new CompletedHandler(completed));
        await using ServiceProvider provider = services.BuildServiceProvider();
        HttpMessageHandler handler = provider.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler("alloc");
        using var invoker = new HttpMessageInvoker(handler, disposeHandler: false);
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://example.test/");
        SendMany(invoker, request, 10);

        long before = GC.GetAllocatedBytesForCurrentThread();
        SendMany(invoker, request, 1000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        allocated.Should().Be(0);
    }

    private static void Run(HttpResilienceTelemetry telemetry, TelemetrySource source, CircuitBreaker breaker, int count)
    {
        for (int i = 0; i < count; i++)
        {
            // A real completion of a permitted call, and a retry call that succeeded at once and one that failed after 3 attempts.
            telemetry.OnBreakerCall(source, breaker.AcquirePermission().RecordSuccess());
            telemetry.OnRetryCallEnded(source, RetryCallOutcome.Succeeded, 1);
            telemetry.OnRetryCallEnded(source, RetryCallOutcome.Failed, 3);
        }
    }

    private static void SendMany(HttpMessageInvoker invoker, HttpRequestMessage request, int count)
    {
        for (int i = 0; i < count; i++)
        {
            Task<HttpResponseMessage> task = invoker.SendAsync(request, CancellationToken.None);
            if (!task.IsCompletedSuccessfully)
            {
                throw new InvalidOperationException("The pipeline did not complete synchronously.");
            }
        }
    }

    private sealed class CompletedHandler(Task<HttpResponseMessage> completed) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => completed;
    }
}
