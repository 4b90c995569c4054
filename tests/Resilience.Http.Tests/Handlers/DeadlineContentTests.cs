using static Resilience.Http.Tests.Handlers.StalledBody;

namespace Resilience.Http.Tests.Handlers;

/// <summary>
/// The body of a response is read under what is left of the standard composition's total time limit, measured from
/// the start of the call on the injected clock: a body without a length (which the attempts do not buffer) that
/// stalls ends with the total limiter's time-out exactly at the deadline, and its content is disposed.
/// </summary>
public class DeadlineContentTests
{
    [Fact]
    public async Task ReadAsStreamAsync_BodyStallsPastRestOfTotalLimit_ThrowsTimeoutAtDeadlineAndDisposesContent()
    {
        using TestHost host = Host();
        using HttpClient client = host.Client();
        var body = new StallingStream();
        using HttpResponseMessage response = await RespondAfterHeadersAsync(host, () => client.GetAsync("x", HttpCompletionOption.ResponseHeadersRead), body);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/plain");
        response.Content.Headers.ContentLanguage.Should().Equal("en", "de");
        await using Stream stream = await response.Content.ReadAsStreamAsync();
        byte[] buffer = new byte[16];
        (await stream.ReadAsync(buffer)).Should().Be(StallingStream.Prefix.Length);

        Task<int> read = stream.ReadAsync(buffer).AsTask();
        host.Time.Advance(Total - Headers - TimeSpan.FromMilliseconds(1));
        read.IsCompleted.Should().BeFalse();
        host.Time.Advance(TimeSpan.FromMilliseconds(1));

        Func<Task> waited = () => read.WaitAsync(Bound);
        (await waited.Should().ThrowAsync<TimeLimiterTimeoutException>()).Which.TimeLimiterName.Should().Be(TestHost.ClientName + "-total");
        body.Disposed.Should().BeTrue("the inner content is disposed, which releases a connection");
    }

    [Fact]
    public async Task GetAsync_BufferedBodyStallsPastRestOfTotalLimit_ThrowsTimeoutAtDeadline()
    {
        using TestHost host = Host();
        using HttpClient client = host.Client();
        var body = new StallingStream();
        TaskCompletionSource<HttpResponseMessage> pending = host.Stub.Pending();
        Task<HttpResponseMessage> call = client.GetAsync("x", HttpCompletionOption.ResponseContentRead);
        await host.WaitUntilAsync(() => host.Stub.Calls == 1);
        host.Time.Advance(Headers);
        pending.SetResult(Response(body));
        await body.FirstReadDone.WaitAsync(Bound);

        host.Time.Advance(Total - Headers - TimeSpan.FromMilliseconds(1));
        call.IsCompleted.Should().BeFalse();
        host.Time.Advance(TimeSpan.FromMilliseconds(1));

        Func<Task> waited = () => call.WaitAsync(Bound);
        await waited.Should().ThrowAsync<TimeLimiterTimeoutException>();
        body.Disposed.Should().BeTrue();
    }

    [Fact]
    public async Task ReadAsStreamAsync_CallerCancelsRead_OperationCanceledNotTimeout()
    {
        using TestHost host = Host();
        using HttpClient client = host.Client();
        using HttpResponseMessage response = await RespondAfterHeadersAsync(host, () => client.GetAsync("x", HttpCompletionOption.ResponseHeadersRead), new StallingStream());
        await using Stream stream = await response.Content.ReadAsStreamAsync();
        byte[] buffer = new byte[16];
        _ = await stream.ReadAsync(buffer);
        using var cts = new CancellationTokenSource();

        Task<int> read = stream.ReadAsync(buffer, cts.Token).AsTask();
        await cts.CancelAsync();

        Func<Task> waited = () => read.WaitAsync(Bound);
        await waited.Should().ThrowAsync<OperationCanceledException>();
        response.Content.Should().NotBeOfType<StreamContent>("the total limit stands in for the content, to bound its reads");
    }

    [Fact]
    public async Task CopyTo_BlockingReadStallsPastRestOfTotalLimit_ThrowsTimeoutAtDeadlineAndDisposesContent()
    {
        using TestHost host = Host();
        using HttpClient client = host.Client();
        var body = new StallingStream();
        using HttpResponseMessage response = await RespondAfterHeadersAsync(host, () => client.GetAsync("x", HttpCompletionOption.ResponseHeadersRead), body);
        using var destination = new MemoryStream();

        Task copy = Task.Run(() => response.Content.CopyTo(destination, null, CancellationToken.None));
        await body.Stalled.WaitAsync(Bound);
        host.Time.Advance(Total - Headers - TimeSpan.FromMilliseconds(1));
        copy.IsCompleted.Should().BeFalse();
        host.Time.Advance(TimeSpan.FromMilliseconds(1));

        Func<Task> waited = () => copy.WaitAsync(Bound);
        (await waited.Should().ThrowAsync<TimeLimiterTimeoutException>()).Which.TimeLimiterName.Should().Be(TestHost.ClientName + "-total");
        body.Disposed.Should().BeTrue("the deadline disposes the content under a blocking read, which releases a connection");
        destination.ToArray().Should().Equal(StallingStream.Prefix);
    }

    [Fact]
    public async Task CopyTo_StartedAfterRestOfTotalLimit_ThrowsTimeoutWithoutReading()
    {
        using TestHost host = Host();
        using HttpClient client = host.Client();
        var body = new StallingStream();
        using HttpResponseMessage response = await RespondAfterHeadersAsync(host, () => client.GetAsync("x", HttpCompletionOption.ResponseHeadersRead), body);
        host.Time.Advance(Total - Headers);

        Action copy = () => response.Content.CopyTo(Stream.Null, null, CancellationToken.None);

        copy.Should().Throw<TimeLimiterTimeoutException>();
        body.Reads.Should().Be(0);
        body.Disposed.Should().BeTrue();
    }

    [Fact]
    public async Task ReadAsStringAsync_StartedAfterRestOfTotalLimit_ThrowsTimeoutWithoutReading()
    {
        using TestHost host = Host();
        using HttpClient client = host.Client();
        var body = new StallingStream();
        using HttpResponseMessage response = await RespondAfterHeadersAsync(host, () => client.GetAsync("x", HttpCompletionOption.ResponseHeadersRead), body);
        host.Time.Advance(Total - Headers);

        Func<Task> read = () => response.Content.ReadAsStringAsync();

        await read.Should().ThrowAsync<TimeLimiterTimeoutException>();
        body.Reads.Should().Be(0);
        body.Disposed.Should().BeTrue();
    }
}
