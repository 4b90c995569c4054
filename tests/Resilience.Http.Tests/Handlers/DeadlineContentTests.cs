using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;

namespace Resilience.Http.Tests.Handlers;

/// <summary>
/// The body of a response is read under what is left of the standard composition's total time limit, measured from
/// the start of the call on the injected clock: a body without a length (which the attempts do not buffer) that
/// stalls ends with the total limiter's time-out exactly at the deadline, and its content is disposed.
/// </summary>
public class DeadlineContentTests
{
    private static readonly TimeSpan Total = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Headers = TimeSpan.FromMilliseconds(500);

    /// <summary>Bounds a wait for a continuation on another thread; the clock of the test is the fake one.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ReadAsStreamAsync_BodyStallsPastRestOfTotalLimit_ThrowsTimeoutAtDeadlineAndDisposesContent()
    {
        using TestHost host = Host();
        using HttpClient client = host.Client();
        var body = new StallingStream();
        using HttpResponseMessage response = await RespondAfterHeadersAsync(host, () => client.GetAsync("x", HttpCompletionOption.ResponseHeadersRead), body);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/plain");
        response.Content.Headers.ContentLanguage.Should().Equal("en");
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

    private static TestHost Host() => TestHost.Create(_ => { }, s => s.AddResilientHttpClient(TestHost.ClientName, o => o.TotalTimeLimiter!.TimeoutDuration = Total));

    private static async Task<HttpResponseMessage> RespondAfterHeadersAsync(TestHost host, Func<Task<HttpResponseMessage>> send, StallingStream body)
    {
        TaskCompletionSource<HttpResponseMessage> pending = host.Stub.Pending();
        Task<HttpResponseMessage> call = send();
        await host.WaitUntilAsync(() => host.Stub.Calls == 1);
        host.Time.Advance(Headers);
        pending.SetResult(Response(body));
        return await call.WaitAsync(Bound);
    }

    /// <summary>A 200 whose body has no length (so the attempts do not buffer it), with two content headers.</summary>
    private static HttpResponseMessage Response(StallingStream body)
    {
        var content = new StreamContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        content.Headers.ContentLanguage.Add("en");
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
    }

    /// <summary>A body that gives a few bytes, then waits for its reader's token; not seekable, so its length is unknown.</summary>
    private sealed class StallingStream : Stream
    {
        public static readonly byte[] Prefix = "hello"u8.ToArray();

        private readonly TaskCompletionSource _firstRead = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _reads;

        public bool Disposed { get; private set; }

        public Task FirstReadDone => _firstRead.Task;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _reads) == 1)
            {
                Prefix.CopyTo(buffer);
                _firstRead.TrySetResult();
                return Prefix.Length;
            }

            await Task.Delay(System.Threading.Timeout.InfiniteTimeSpan, cancellationToken);
            return 0;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }
}
