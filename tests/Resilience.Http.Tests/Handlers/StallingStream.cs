using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;

namespace Resilience.Http.Tests.Handlers;

/// <summary>
/// A body that gives a few bytes, then stalls: an asynchronous read waits for its token, a blocking read until the
/// stream is disposed. Not seekable, so its length is unknown and the attempts do not buffer it.
/// </summary>
internal sealed class StallingStream : Stream
{
    public static readonly byte[] Prefix = "hello"u8.ToArray();

    private readonly TaskCompletionSource _firstRead = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stalled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ManualResetEventSlim _disposed = new();
    private int _reads;

    public bool Disposed => _disposed.IsSet;

    /// <summary>Gets the number of reads that reached this stream.</summary>
    public int Reads => Volatile.Read(ref _reads);

    public Task FirstReadDone => _firstRead.Task;

    /// <summary>Gets a task that completes when a read stalls.</summary>
    public Task Stalled => _stalled.Task;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (TryReadPrefix(buffer.Span, out int read))
        {
            return read;
        }

        _stalled.TrySetResult();
        await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        return 0;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(Span<byte> buffer)
    {
        if (TryReadPrefix(buffer, out int read))
        {
            return read;
        }

        _stalled.TrySetResult();
        _disposed.Wait(TimeSpan.FromSeconds(10)).Should().BeTrue("a blocking read ends when its stream is disposed");
        throw new ObjectDisposedException(nameof(StallingStream));
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        _disposed.Set();
        base.Dispose(disposing);
    }

    private bool TryReadPrefix(Span<byte> buffer, out int read)
    {
        read = Prefix.Length;
        if (Interlocked.Increment(ref _reads) != 1)
        {
            return false;
        }

        Prefix.CopyTo(buffer);
        _firstRead.TrySetResult();
        return true;
    }
}

/// <summary>A client "c" with the standard composition and its total limit of <see cref="Total"/>, whose stub answers with a <see cref="StallingStream"/> body after <see cref="Headers"/>.</summary>
internal static class StalledBody
{
    public static readonly TimeSpan Total = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan Headers = TimeSpan.FromMilliseconds(500);

    /// <summary>Bounds a wait for a continuation on another thread; the clock of the test is the fake one.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    public static TestHost Host() => TestHost.Create(_ => { }, s => s.AddResilientHttpClient(TestHost.ClientName, o => o.TotalTimeLimiter!.TimeoutDuration = Total));

    /// <summary>Sends with <paramref name="send"/> and answers after <see cref="Headers"/> with a 200 whose body is <paramref name="body"/>.</summary>
    public static async Task<HttpResponseMessage> RespondAfterHeadersAsync(TestHost host, Func<Task<HttpResponseMessage>> send, StallingStream body)
    {
        TaskCompletionSource<HttpResponseMessage> pending = host.Stub.Pending();
        Task<HttpResponseMessage> call = send();
        await host.WaitUntilAsync(() => host.Stub.Calls == 1);
        host.Time.Advance(Headers);
        pending.SetResult(Response(body));
        return await call.WaitAsync(Bound);
    }

    /// <summary>A 200 whose body has no length, with a content header of one value and one of two.</summary>
    public static HttpResponseMessage Response(StallingStream body)
    {
        var content = new StreamContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        content.Headers.ContentLanguage.Add("en");
        content.Headers.ContentLanguage.Add("de");
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
    }
}
