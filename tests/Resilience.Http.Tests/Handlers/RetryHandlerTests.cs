using System.Globalization;
using System.Net;
using System.Security.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Resilience.Http.Internal;
using Resilience.Http.Telemetry;

namespace Resilience.Http.Tests.Handlers;

public class RetryHandlerTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(1);

    private static TestHost Host(Action<HttpRetryOptions>? configure = null) =>
        TestHost.Create(b => b.AddRetry("r", o =>
        {
            o.MaxAttempts = 3;
            o.WaitDuration = Wait;
            o.RandomizationFactor = 0;
            configure?.Invoke(o);
        }));

    private static RetryMetrics Metrics(TestHost host) =>
        host.Slot<HttpRetryOptions, HttpRetryPolicy>(ResilienceKinds.Retry).Retry.GetMetrics();

    private static async Task<HttpResponseMessage> AdvanceUntilDoneAsync(TestHost host, Task<HttpResponseMessage> call, int expectedCalls)
    {
        for (int calls = 1; calls < expectedCalls; calls++)
        {
            // Advance only once the retry's wait timer exists: time moved before it is created would never fire it.
            await host.WaitUntilAsync(() => host.Time.TimersCreated(Wait) >= calls);
            host.Time.Advance(Wait);
        }

        return await call.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task SendAsync_503UntilMaxAttempts_ReturnsLastUndisposedAndDisposesEarlier()
    {
        using TestHost host = Host();
        host.Stub.Respond(HttpStatusCode.ServiceUnavailable, times: 3);
        using HttpClient client = host.Client();

        using HttpResponseMessage response = await AdvanceUntilDoneAsync(host, client.GetAsync("x"), 3);

        host.Stub.Calls.Should().Be(3);
        TrackedResponse[] sent = host.Stub.Responses.Cast<TrackedResponse>().ToArray();
        response.Should().BeSameAs(sent[2]);
        sent[2].Disposed.Should().BeFalse();
        sent[0].Disposed.Should().BeTrue();
        sent[1].Disposed.Should().BeTrue();
        RetryMetrics metrics = Metrics(host);
        metrics.NumberOfFailedCallsWithRetryAttempt.Should().Be(1);
        metrics.NumberOfSuccessfulCallsWithRetryAttempt.Should().Be(0);
    }

    [Fact]
    public async Task SendAsync_FailThenSuccess_CountsSuccessWithRetry()
    {
        using TestHost host = Host();
        host.Stub.Respond(HttpStatusCode.ServiceUnavailable);
        using HttpClient client = host.Client();

        using HttpResponseMessage response = await AdvanceUntilDoneAsync(host, client.GetAsync("x"), 2);
        (await client.GetAsync("x")).Dispose();

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        RetryMetrics metrics = Metrics(host);
        metrics.NumberOfSuccessfulCallsWithRetryAttempt.Should().Be(1);
        metrics.NumberOfSuccessfulCallsWithoutRetryAttempt.Should().Be(1);
        metrics.NumberOfFailedCallsWithRetryAttempt.Should().Be(0);
        metrics.NumberOfFailedCallsWithoutRetryAttempt.Should().Be(0);
    }

    [Fact]
    public async Task SendAsync_CustomConsumeHook_SeesRetriedResponseWhichIsStillDisposed()
    {
        var consumed = new List<(int Attempt, bool DisposedBefore)>();
        using TestHost host = Host(o => o.ConsumeResultBeforeRetryAttempt = (attempt, r) => consumed.Add((attempt, ((TrackedResponse)r!).Disposed)));
        host.Stub.Respond(HttpStatusCode.ServiceUnavailable);
        using HttpClient client = host.Client();

        using HttpResponseMessage response = await AdvanceUntilDoneAsync(host, client.GetAsync("x"), 2);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        consumed.Should().Equal((1, false));
        ((TrackedResponse)host.Stub.Responses.First()).Disposed.Should().BeTrue("the HTTP layer disposes every retried response after the user's hook");
    }

    [Fact]
    public async Task SendAsync_FailAfterMaxAttempts_ThrowsAndDisposesTheLastResponse()
    {
        using TestHost host = Host(o => { o.MaxAttempts = 1; o.FailAfterMaxAttempts = true; });
        host.Stub.Respond(HttpStatusCode.ServiceUnavailable);
        using HttpClient client = host.Client();

        Func<Task> call = () => client.GetAsync("x");

        (await call.Should().ThrowAsync<MaxRetriesExceededException>()).Which.NumberOfAttempts.Should().Be(1);
        ((TrackedResponse)host.Stub.Responses.Single()).Disposed.Should().BeTrue();
        Metrics(host).NumberOfFailedCallsWithoutRetryAttempt.Should().Be(1);
    }

    [Fact]
    public async Task SendAsync_Post_NotRetriedByDefault()
    {
        using TestHost host = Host();
        host.Stub.Respond(HttpStatusCode.ServiceUnavailable, times: 3);
        using HttpClient client = host.Client();
        using var content = new StringContent("body");

        using HttpResponseMessage response = await client.PostAsync("x", content);

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        host.Stub.Calls.Should().Be(1);
        Metrics(host).NumberOfFailedCallsWithoutRetryAttempt.Should().Be(1);
    }

    [Fact]
    public async Task SendAsync_PostWithOptIn_RetriedAndBodyReplayed()
    {
        using TestHost host = Host(o => o.RetryNonIdempotentMethods = true);
        host.Stub.Respond(HttpStatusCode.ServiceUnavailable, times: 2);
        using HttpClient client = host.Client();
        using var content = new StringContent("body");

        using HttpResponseMessage response = await AdvanceUntilDoneAsync(host, client.PostAsync("x", content), 3);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        host.Stub.Bodies.Should().Equal("body", "body", "body");
    }

    [Fact]
    public async Task SendAsync_StreamContent_NotRetried()
    {
        using TestHost host = Host();
        host.Stub.Respond(HttpStatusCode.ServiceUnavailable, times: 3);
        using HttpClient client = host.Client();
        using var content = new StreamContent(new MemoryStream("body"u8.ToArray()));

        using HttpResponseMessage response = await client.PutAsync("x", content);

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        host.Stub.Calls.Should().Be(1);
        host.Stub.Bodies.Should().Equal("body");
    }

    [Fact]
    public async Task SendAsync_RetryAfterDelta_WaitsForHint()
    {
        using TestHost host = Host();
        host.Stub.Respond(HttpStatusCode.ServiceUnavailable, retryAfter: "5");
        using HttpClient client = host.Client();

        Task<HttpResponseMessage> call = client.GetAsync("x");
        host.Time.Advance(TimeSpan.FromSeconds(4.9));
        host.Stub.Calls.Should().Be(1);
        call.IsCompleted.Should().BeFalse();
        host.Time.Advance(TimeSpan.FromSeconds(0.1));
        using HttpResponseMessage response = await call;

        host.Stub.Calls.Should().Be(2);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task SendAsync_RetryAfterDate_WaitsUntilDate()
    {
        using TestHost host = Host();
        string date = host.Time.GetUtcNow().AddSeconds(8).ToString("R", CultureInfo.InvariantCulture);
        host.Stub.Respond(HttpStatusCode.TooManyRequests, retryAfter: date);
        using HttpClient client = host.Client();

        Task<HttpResponseMessage> call = client.GetAsync("x");
        host.Time.Advance(TimeSpan.FromSeconds(7.9));
        host.Stub.Calls.Should().Be(1);
        host.Time.Advance(TimeSpan.FromSeconds(0.1));
        using HttpResponseMessage response = await call;

        host.Stub.Calls.Should().Be(2);
    }

    [Fact]
    public async Task SendAsync_RetryAfterAboveMax_Capped()
    {
        using TestHost host = Host(o => o.MaxRetryAfterDelay = TimeSpan.FromSeconds(2));
        host.Stub.Respond(HttpStatusCode.ServiceUnavailable, retryAfter: "600");
        using HttpClient client = host.Client();

        Task<HttpResponseMessage> call = client.GetAsync("x");
        host.Time.Advance(TimeSpan.FromSeconds(1.9));
        host.Stub.Calls.Should().Be(1);
        host.Time.Advance(TimeSpan.FromSeconds(0.1));
        using HttpResponseMessage response = await call;

        host.Stub.Calls.Should().Be(2);
    }

    [Fact]
    public async Task SendAsync_CallerCancelsDuringWait_ThrowsAndCallsNoMore()
    {
        using TestHost host = Host();
        host.Stub.Respond(HttpStatusCode.ServiceUnavailable, retryAfter: "10");
        using HttpClient client = host.Client();
        using var cts = new CancellationTokenSource();

        Task<HttpResponseMessage> call = client.GetAsync("x", cts.Token);
        await cts.CancelAsync();

        await call.Invoking(t => t).Should().ThrowAsync<OperationCanceledException>();
        host.Time.Advance(TimeSpan.FromSeconds(10));
        host.Stub.Calls.Should().Be(1);
        ((TrackedResponse)host.Stub.Responses.Single()).Disposed.Should().BeTrue();
        Metrics(host).NumberOfSuccessfulCallsWithoutRetryAttempt.Should().Be(0);
    }

    [Fact]
    public async Task SendAsync_HttpRequestException_RetriedThenRethrown()
    {
        using TestHost host = Host();
        host.Stub.Throw(times: 3);
        using HttpClient client = host.Client();

        Task<HttpResponseMessage> call = client.GetAsync("x");
        Func<Task> act = () => AdvanceUntilDoneAsync(host, call, 3);

        await act.Should().ThrowAsync<HttpRequestException>();
        host.Stub.Calls.Should().Be(3);
        Metrics(host).NumberOfFailedCallsWithRetryAttempt.Should().Be(1);
    }

    [Fact]
    public async Task SendAsync_CertificateRejectedAtHandshake_NotRetried()
    {
        using TestHost host = Host();
        var rejected = new HttpRequestException(HttpRequestError.SecureConnectionError, "The SSL connection could not be established.", new AuthenticationException("The remote certificate was rejected."));
        host.Stub.Throw(rejected, times: 3);
        using HttpClient client = host.Client();

        Func<Task> act = () => client.GetAsync("x").WaitAsync(TimeSpan.FromSeconds(10));

        (await act.Should().ThrowAsync<HttpRequestException>()).Which.Should().BeSameAs(rejected);
        host.Stub.Calls.Should().Be(1);
        Metrics(host).NumberOfFailedCallsWithoutRetryAttempt.Should().Be(1);
    }

    [Fact]
    public void Send_Sync_RetriesWithZeroHint()
    {
        using TestHost host = Host();
        host.Stub.Respond(HttpStatusCode.ServiceUnavailable, retryAfter: "0", times: 2);
        using HttpClient client = host.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "x");

        using HttpResponseMessage response = client.Send(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        host.Stub.Calls.Should().Be(3);
        host.Stub.Responses.Take(2).Cast<TrackedResponse>().Should().OnlyContain(r => r.Disposed);
        Metrics(host).NumberOfSuccessfulCallsWithRetryAttempt.Should().Be(1);
    }

    [Fact]
    public async Task Send_SyncWaitingForHint_BlocksUntilTimeAdvances()
    {
        using TestHost host = Host();
        host.Stub.Respond(HttpStatusCode.ServiceUnavailable, retryAfter: "3");
        using HttpClient client = host.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "x");

        Task<HttpResponseMessage> call = Task.Run(() => client.Send(request));

        // The blocking wait arms its 3 s timer after the first attempt; advance once it exists.
        await host.WaitUntilAsync(() => host.Time.TimersCreated(TimeSpan.FromSeconds(3)) == 1);
        call.IsCompleted.Should().BeFalse();
        host.Time.Advance(TimeSpan.FromSeconds(3));

        using HttpResponseMessage response = await call.WaitAsync(TimeSpan.FromSeconds(10));
        host.Stub.Calls.Should().Be(2);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task SendAsync_MultipartOfReplayableParts_RetriedAndBodyReplayed()
    {
        using TestHost host = Host();
        host.Stub.Respond(HttpStatusCode.ServiceUnavailable, times: 1);
        using HttpClient client = host.Client();
        using var content = new MultipartContent("mixed", "b") { new StringContent("one"), new ByteArrayContent("two"u8.ToArray()) };

        using HttpResponseMessage response = await AdvanceUntilDoneAsync(host, client.PutAsync("x", content), 2);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        host.Stub.Calls.Should().Be(2);
        host.Stub.Bodies.Should().HaveCount(2).And.OnlyContain(b => b.Contains("one", StringComparison.Ordinal) && b.Contains("two", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SendAsync_MultipartWithStreamPart_NotRetried()
    {
        using TestHost host = Host();
        host.Stub.Respond(HttpStatusCode.ServiceUnavailable, times: 3);
        using HttpClient client = host.Client();
        using var content = new MultipartContent("mixed", "b") { new StringContent("one"), new StreamContent(new MemoryStream("two"u8.ToArray())) };

        using HttpResponseMessage response = await client.PutAsync("x", content);

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        host.Stub.Calls.Should().Be(1);
    }

    [Fact]
    public async Task SendAsync_IntervalFunctionWithoutRetryAfter_ChoosesTheWaitOrStops()
    {
        TimeSpan chosen = TimeSpan.FromSeconds(3);
        using TestHost host = Host(o => o.IntervalFunction = a => a.AttemptNumber == 1 ? chosen : TimeSpan.FromTicks(-1));
        host.Stub.Respond(HttpStatusCode.ServiceUnavailable, times: 3);
        using HttpClient client = host.Client();

        Task<HttpResponseMessage> call = client.GetAsync("x");
        await host.WaitUntilAsync(() => host.Time.TimersCreated(chosen) == 1);
        host.Time.Advance(chosen - TimeSpan.FromTicks(1));
        host.Stub.Calls.Should().Be(1);
        host.Time.Advance(TimeSpan.FromTicks(1));

        using HttpResponseMessage response = await call.WaitAsync(TimeSpan.FromSeconds(10));
        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, "a negative wait stops retrying with the last response");
        host.Stub.Calls.Should().Be(2);
    }
}
