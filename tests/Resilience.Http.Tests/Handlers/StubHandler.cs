using System.Collections.Concurrent;
using System.Net;

namespace Resilience.Http.Tests.Handlers;

/// <summary>
/// The innermost handler of the tests: each call takes the next scripted step (a 200 when the script is empty),
/// counts itself, reads and records the request body, and records the token it was given.
/// </summary>
internal sealed class StubHandler : HttpMessageHandler
{
    private readonly ConcurrentQueue<Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>> _script = new();
    private int _calls;

    /// <summary>Gets the signal of every call, response and disposal of a response.</summary>
    public ChangeSignal Changes { get; } = new();

    /// <summary>Gets the number of requests that reached the stub.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Gets the bodies read, one per call (null for a request without content).</summary>
    public ConcurrentQueue<string?> Bodies { get; } = new();

    /// <summary>Gets the tokens the calls received, in order.</summary>
    public ConcurrentQueue<CancellationToken> Tokens { get; } = new();

    /// <summary>Gets the responses handed out, in order.</summary>
    public ConcurrentQueue<HttpResponseMessage> Responses { get; } = new();

    /// <summary>Answers the next call with <paramref name="status"/>, and an optional <c>Retry-After</c> value.</summary>
    public StubHandler Respond(HttpStatusCode status, string? retryAfter = null, int times = 1)
    {
        for (int i = 0; i < times; i++)
        {
            _script.Enqueue((_, _) => Task.FromResult<HttpResponseMessage>(Track(status, retryAfter)));
        }

        return this;
    }

    /// <summary>Throws <see cref="HttpRequestException"/> on the next call.</summary>
    public StubHandler Throw(int times = 1)
    {
        for (int i = 0; i < times; i++)
        {
            _script.Enqueue((_, _) => Task.FromException<HttpResponseMessage>(new HttpRequestException("connection refused")));
        }

        return this;
    }

    /// <summary>Throws <paramref name="exception"/> on the next calls.</summary>
    public StubHandler Throw(Exception exception, int times = 1)
    {
        for (int i = 0; i < times; i++)
        {
            _script.Enqueue((_, _) => Task.FromException<HttpResponseMessage>(exception));
        }

        return this;
    }

    /// <summary>Completes the next call only when the test completes the returned source; the token is ignored.</summary>
    public TaskCompletionSource<HttpResponseMessage> Pending()
    {
        var source = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        _script.Enqueue((_, _) => source.Task);
        return source;
    }

    /// <summary>The next call never answers; it ends with a cancellation when its token is cancelled.</summary>
    public StubHandler HonourToken()
    {
        _script.Enqueue(static async (_, token) =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, token);
            throw new InvalidOperationException("unreachable");
        });
        return this;
    }

    /// <summary>A response that records whether it was disposed.</summary>
    public TrackedResponse Track(HttpStatusCode status, string? retryAfter = null)
    {
        var response = new TrackedResponse(status, Changes);
        if (retryAfter is not null)
        {
            response.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
        }

        Responses.Enqueue(response);
        Changes.Pulse();
        return response;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> step = Begin(cancellationToken);
        Bodies.Enqueue(request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken));
        return await step(request, cancellationToken);
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> step = Begin(cancellationToken);
        Bodies.Enqueue(request.Content is null ? null : new StreamReader(request.Content.ReadAsStream(cancellationToken)).ReadToEnd());
        return step(request, cancellationToken).GetAwaiter().GetResult();
    }

    private Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> Begin(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        Tokens.Enqueue(cancellationToken);
        Changes.Pulse();
        return _script.TryDequeue(out var step) ? step : (_, _) => Task.FromResult<HttpResponseMessage>(Track(HttpStatusCode.OK));
    }
}

/// <summary>A response that records its disposal.</summary>
internal sealed class TrackedResponse(HttpStatusCode status, ChangeSignal changes) : HttpResponseMessage(status)
{
    public bool Disposed { get; private set; }

    protected override void Dispose(bool disposing)
    {
        Disposed = true;
        base.Dispose(disposing);
        changes.Pulse();
    }
}
