using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Resilience.Http.Internal;
using Resilience.Http.Telemetry;

namespace Resilience.Http.Tests.Telemetry;

public sealed partial class LoggingAndTracingTests
{
    private const string Instance = "backend";

    /// <summary>A field printed empty: a word followed by a space and punctuation (<c>status code ,</c>), or empty quotes.</summary>
    private static readonly Regex EmptyField = EmptyFieldPattern();

    [Fact]
    public async Task BreakerTransitions_OpenHalfOpenClose_LoggedAsWarningThenInformation()
    {
        using var harness = new TelemetryHarness(
            b => b.AddCircuitBreaker(Instance, o =>
            {
                o.SlidingWindowSize = 2;
                o.MinimumNumberOfCalls = 2;
                o.PermittedNumberOfCallsInHalfOpenState = 1;
                o.WaitDurationInOpenState = TimeSpan.FromSeconds(5);
            }),
            _ => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
        using HttpClient client = harness.CreateClient();
        (await client.GetAsync("a")).Dispose();
        (await client.GetAsync("b")).Dispose();

        harness.Time.Advance(TimeSpan.FromSeconds(6));
        harness.Respond = _ => new HttpResponseMessage(HttpStatusCode.OK);
        (await client.GetAsync("c")).Dispose();

        var entries = harness.Logs.Entries.Where(e => e.EventId.Id is 1001 or 1002 or 1003).ToList();
        entries.Select(e => (e.Level, e.EventId.Id)).Should().Equal(
            (LogLevel.Warning, 1001), (LogLevel.Information, 1003), (LogLevel.Information, 1002));
        entries[0].Message.Should().Contain(harness.ClientName).And.Contain("Open").And.Contain("failure rate 100%");
    }

    [Fact]
    public async Task Retry_WithParentActivity_AddsEventAndLogsAttempt()
    {
        int calls = 0;
        using var source = new ActivitySource("Resilience.Tests." + Guid.NewGuid().ToString("N"));
        var stopped = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == source.Name || s.Name == "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (stopped) { stopped.Add(a); } },
        };
        ActivitySource.AddActivityListener(listener);
        using var harness = new TelemetryHarness(
            b => b.AddRetry(Instance, o => { o.MaxAttempts = 3; o.WaitDuration = TimeSpan.Zero; }),
            _ => new HttpResponseMessage(++calls == 1 ? HttpStatusCode.BadGateway : HttpStatusCode.OK));
        using HttpClient client = harness.CreateClient();

        ActivityTraceId traceId;
        using (Activity parent = source.StartActivity("test")!)
        {
            traceId = parent.TraceId;
            (await client.GetAsync("x")).Dispose();
        }

        List<ActivityEvent> events;
        lock (stopped)
        {
            events = [.. stopped.Where(a => a.TraceId == traceId).SelectMany(a => a.Events).Where(e => e.Name == "resilience.retry")];
        }

        events.Should().ContainSingle();
        var tags = events[0].Tags.ToDictionary(t => t.Key, t => t.Value);
        tags["resilience.retry.attempt"].Should().Be(1);
        tags["http.response.status_code"].Should().Be(502);
        tags[ResilienceTelemetry.InstanceTag].Should().Be(Instance);
        harness.Logs.Entries.Should().ContainSingle(e => e.EventId.Id == 1005)
            .Which.Message.Should().Contain("attempt 1").And.Contain("502");
    }

    [Fact]
    public async Task Retry_NoCurrentActivity_EventCarriedBySpanOfResilienceSource()
    {
        int calls = 0;
        var stopped = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == ResilienceTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (stopped) { stopped.Add(a); } },
        };
        ActivitySource.AddActivityListener(listener);
        string instance = "orphan-" + Guid.NewGuid().ToString("N");
        using var harness = new TelemetryHarness(
            b => b.AddRetry(instance, o => { o.MaxAttempts = 2; o.WaitDuration = TimeSpan.Zero; }),
            _ => new HttpResponseMessage(++calls == 1 ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK));
        using HttpClient client = harness.CreateClient();
        Activity.Current = null;

        (await client.GetAsync("x")).Dispose();

        List<Activity> spans;
        lock (stopped)
        {
            spans = [.. stopped.Where(a => a.Events.Any(e => e.Tags.Any(t => t.Key == ResilienceTelemetry.InstanceTag && (string?)t.Value == instance)))];
        }

        spans.Should().ContainSingle().Which.OperationName.Should().Be("resilience.retry");
        spans[0].Events.Should().ContainSingle(e => e.Name == "resilience.retry");
    }

    [Fact]
    public async Task BreakerRejected_NoActivity_LoggedAtDebugOnly()
    {
        using var harness = new TelemetryHarness(b => b.AddCircuitBreaker(Instance));
        using HttpClient client = harness.CreateClient();
        (await client.GetAsync("a")).Dispose();
        BreakerOf(harness).TransitionToForcedOpenState();

        Func<Task> refused = () => client.GetAsync("b");

        await refused.Should().ThrowAsync<CallNotPermittedException>();
        harness.Logs.Entries.Should().ContainSingle(e => e.EventId.Id == 1006).Which.Level.Should().Be(LogLevel.Debug);
        harness.Logs.Entries.Should().ContainSingle(e => e.EventId.Id == 1001).Which.Level.Should().Be(LogLevel.Warning);
    }

    public static TheoryData<string, HttpStatusCode?, Exception?, int, string> RetryOutcomes => new()
    {
        { "timeout", null, new TimeLimiterTimeoutException("attempt", TimeSpan.FromSeconds(2)), 1011, "; exception TimeLimiterTimeoutException." },
        { "exception", null, new HttpRequestException("refused"), 1011, "; exception HttpRequestException." },
        { "status code", HttpStatusCode.ServiceUnavailable, null, 1005, "; status code 503." },
        { "no response", null, null, 1012, "; no response." },
    };

    [Theory]
    [MemberData(nameof(RetryOutcomes))]
    public void OnRetry_EachOutcome_MessageHasNoEmptyField(string outcome, HttpStatusCode? status, Exception? error, int eventId, string ending)
    {
        var logs = new CapturingLoggerProvider(ResilienceTelemetry.LoggerCategory);
        using var telemetry = new HttpResilienceTelemetry(logs);
        var source = new TelemetrySource("inventory", Instance, "retry");
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://inventory.test/stock");
        using HttpResponseMessage? response = status is { } code ? new HttpResponseMessage(code) : null;

        telemetry.OnRetry(source, request, 1, TimeSpan.FromMilliseconds(200), response, error);
        telemetry.OnTimeout(source, request, TimeSpan.FromSeconds(2));

        var entries = logs.Entries.ToList();
        entries.Should().HaveCount(2, outcome);
        entries[0].EventId.Id.Should().Be(eventId);
        entries[0].Message.Should().Be(
            $"Request GET http://inventory.test/stock of client 'inventory' is retried by '{Instance}': attempt 1 after 200 ms{ending}");
        entries.Should().AllSatisfy(e => EmptyField.IsMatch(e.Message).Should().BeFalse(e.Message));
    }

    [Fact]
    public void OnRetry_UnnamedClient_MessageNamesItAsUnnamed()
    {
        var logs = new CapturingLoggerProvider(ResilienceTelemetry.LoggerCategory);
        using var telemetry = new HttpResilienceTelemetry(logs);
        var source = new TelemetrySource(string.Empty, string.Empty, "retry");
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://inventory.test/stock");
        using var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);

        telemetry.OnRetry(source, request, 2, TimeSpan.FromSeconds(1), response, null);
        telemetry.OnTimeout(source, request, TimeSpan.FromMilliseconds(1500));

        logs.Entries.Select(e => e.Message).Should().Equal(
            "Request GET http://inventory.test/stock of client '(unnamed)' is retried by '(unnamed)': attempt 2 after 1 s; status code 503.",
            "Request GET http://inventory.test/stock of client '(unnamed)' timed out in time limiter '(unnamed)' after 1500 ms.");
    }

    internal static CircuitBreaker BreakerOf(TelemetryHarness harness)
    {
        var registry = (HttpResilienceRegistry)harness.Services.GetService(typeof(HttpResilienceRegistry))!;
        return registry.Slots.Select(s => s.Slot).OfType<ReloadableSlot<HttpCircuitBreakerOptions, BreakerSet>>().Single().Current.Single!;
    }

    [GeneratedRegex(@"\w [,.;:]|''")]
    private static partial Regex EmptyFieldPattern();
}
