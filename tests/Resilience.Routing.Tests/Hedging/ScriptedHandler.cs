using System.Net;
using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Resilience.Routing.Tests.Hedging;

/// <summary>An inner handler whose every send waits for the test to answer it, recording the request, its address, its token and the (fake) time it was sent.</summary>
internal sealed class ScriptedHandler(FakeTimeProvider time) : HttpMessageHandler
{
    private readonly Channel<Call> _calls = Channel.CreateUnbounded<Call>();
    private int _count;

    /// <summary>Gets or sets a status the handler answers every send with at once, instead of waiting.</summary>
    public HttpStatusCode? AnswerAtOnce { get; set; }

    public int Count => Volatile.Read(ref _count);

    /// <summary>The next send, waiting for it (bounded: the handler runs on the thread pool after a timer fires).</summary>
    public async Task<Call> NextAsync() => await _calls.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var call = new Call(request, request.RequestUri!, time.GetUtcNow(), cancellationToken);
        Interlocked.Increment(ref _count);
        _calls.Writer.TryWrite(call);
        if (AnswerAtOnce is HttpStatusCode status)
        {
            call.Answer(status);
        }

        return call.Response.Task;
    }

    /// <summary>One send: answered by the test, whatever its token says (so a cancelled attempt can still answer late).</summary>
    internal sealed class Call(HttpRequestMessage request, Uri address, DateTimeOffset at, CancellationToken token)
    {
        public HttpRequestMessage Request { get; } = request;

        public Uri Address { get; } = address;

        public CancellationToken Token { get; } = token;

        public DateTimeOffset At { get; } = at;

        public TaskCompletionSource<HttpResponseMessage> Response { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TrackedResponse Answer(HttpStatusCode status)
        {
            var response = new TrackedResponse(status) { RequestMessage = Request };
            Response.SetResult(response);
            return response;
        }

        public void Fail(Exception exception) => Response.SetException(exception);
    }
}

/// <summary>A response that tells when it is disposed.</summary>
internal sealed class TrackedResponse(HttpStatusCode status) : HttpResponseMessage(status)
{
    public TaskCompletionSource Disposed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override void Dispose(bool disposing)
    {
        Disposed.TrySetResult();
        base.Dispose(disposing);
    }
}
