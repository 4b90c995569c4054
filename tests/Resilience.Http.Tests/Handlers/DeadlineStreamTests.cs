using static Resilience.Http.Tests.Handlers.StalledBody;

namespace Resilience.Http.Tests.Handlers;

/// <summary>
/// The stream of a body read under what is left of the total time limit: blocking and asynchronous reads, with the
/// first read's token or another one, end with the total limiter's time-out at the deadline; a read that starts
/// after it fails at once; and the stream is read-only.
/// </summary>
public class DeadlineStreamTests
{
    [Fact]
    public async Task Read_BlockingReadStallsPastRestOfTotalLimit_ThrowsTimeoutAtDeadlineAndDisposesBody()
    {
        using TestHost host = Host();
        using HttpClient client = host.Client();
        var body = new StallingStream();
        using HttpResponseMessage response = await RespondAfterHeadersAsync(host, () => client.GetAsync("x", HttpCompletionOption.ResponseHeadersRead), body);
        using Stream stream = response.Content.ReadAsStream();
        byte[] buffer = new byte[16];
        stream.Read(buffer, 0, buffer.Length).Should().Be(StallingStream.Prefix.Length);

        Task<int> read = Task.Run(() => stream.Read(buffer, 0, buffer.Length));
        await body.Stalled.WaitAsync(Bound);
        host.Time.Advance(Total - Headers - TimeSpan.FromMilliseconds(1));
        read.IsCompleted.Should().BeFalse();
        host.Time.Advance(TimeSpan.FromMilliseconds(1));

        Func<Task> waited = () => read.WaitAsync(Bound);
        (await waited.Should().ThrowAsync<TimeLimiterTimeoutException>()).Which.TimeLimiterName.Should().Be(TestHost.ClientName + "-total");
        body.Disposed.Should().BeTrue("a blocking read does not watch a token: the deadline disposes the stream under it");
    }

    [Fact]
    public async Task Read_FirstReadAfterRestOfTotalLimit_ThrowsTimeoutWithoutReading()
    {
        using TestHost host = Host();
        using HttpClient client = host.Client();
        var body = new StallingStream();
        using HttpResponseMessage response = await RespondAfterHeadersAsync(host, () => client.GetAsync("x", HttpCompletionOption.ResponseHeadersRead), body);
        using Stream stream = response.Content.ReadAsStream();
        host.Time.Advance(Total - Headers);

        Action read = () => stream.ReadExactly(new byte[1]);

        read.Should().Throw<TimeLimiterTimeoutException>();
        body.Reads.Should().Be(0);
        body.Disposed.Should().BeTrue("the content is disposed, which releases a connection");
    }

    [Fact]
    public async Task ReadAsync_FirstReadAfterRestOfTotalLimit_ThrowsTimeoutWithoutReading()
    {
        using TestHost host = Host();
        using HttpClient client = host.Client();
        var body = new StallingStream();
        using HttpResponseMessage response = await RespondAfterHeadersAsync(host, () => client.GetAsync("x", HttpCompletionOption.ResponseHeadersRead), body);
        await using Stream stream = await response.Content.ReadAsStreamAsync();
        host.Time.Advance(Total - Headers);

        Func<Task> read = async () => await stream.ReadExactlyAsync(new byte[1]);

        await read.Should().ThrowAsync<TimeLimiterTimeoutException>();
        body.Reads.Should().Be(0);
        body.Disposed.Should().BeTrue();
    }

    [Fact]
    public async Task ReadAsync_LaterReadWithOwnTokenStallsPastRestOfTotalLimit_ThrowsTimeoutNotCancellation()
    {
        using TestHost host = Host();
        using HttpClient client = host.Client();
        var body = new StallingStream();
        using HttpResponseMessage response = await RespondAfterHeadersAsync(host, () => client.GetAsync("x", HttpCompletionOption.ResponseHeadersRead), body);
        await using Stream stream = await response.Content.ReadAsStreamAsync();
        byte[] buffer = new byte[16];
#pragma warning disable CA1835 // The array overload, as older readers call it, is the one under test.
        (await stream.ReadAsync(buffer, 0, buffer.Length, CancellationToken.None)).Should().Be(StallingStream.Prefix.Length);
#pragma warning restore CA1835
        using var reader = new CancellationTokenSource();

        Task<int> read = stream.ReadAsync(buffer, 0, buffer.Length, reader.Token);
        await body.Stalled.WaitAsync(Bound);
        host.Time.Advance(Total - Headers);

        Func<Task> waited = () => read.WaitAsync(Bound);
        await waited.Should().ThrowAsync<TimeLimiterTimeoutException>();
        reader.IsCancellationRequested.Should().BeFalse();
        body.Disposed.Should().BeTrue();
    }

    [Fact]
    public async Task ReadAsStreamAsync_Stream_ReadOnlyAndNotSeekable()
    {
        using TestHost host = Host();
        using HttpClient client = host.Client();
        using HttpResponseMessage response = await RespondAfterHeadersAsync(host, () => client.GetAsync("x", HttpCompletionOption.ResponseHeadersRead), new StallingStream());
        await using Stream stream = await response.Content.ReadAsStreamAsync();

        (stream.CanRead, stream.CanSeek, stream.CanWrite).Should().Be((true, false, false));
        stream.Invoking(s => s.Length).Should().Throw<NotSupportedException>();
        stream.Invoking(s => s.Position).Should().Throw<NotSupportedException>();
        stream.Invoking(s => s.Position = 0).Should().Throw<NotSupportedException>();
        stream.Invoking(s => s.Seek(0, SeekOrigin.Begin)).Should().Throw<NotSupportedException>();
        stream.Invoking(s => s.SetLength(0)).Should().Throw<NotSupportedException>();
        stream.Invoking(s => s.Write(new byte[1], 0, 1)).Should().Throw<NotSupportedException>();
        stream.Invoking(s => s.Flush()).Should().NotThrow("there is nothing to flush in a stream that is only read");
    }
}
