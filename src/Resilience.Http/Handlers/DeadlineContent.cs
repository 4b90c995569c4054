using System.Net;
using System.Net.Http.Headers;
using Resilience.Http.Internal;

namespace Resilience.Http.Handlers;

/// <summary>
/// The content of a response whose body is read under what is left of the total time limit: it stands in for the
/// content the inner handlers returned, with the same headers, and every read of it ends by the deadline.
/// </summary>
/// <remarks>
/// <para>Both ways <see cref="HttpClient"/> reads a body are bounded: buffering (<see cref="HttpContent.LoadIntoBufferAsync()"/>,
/// as for <see cref="HttpCompletionOption.ResponseContentRead"/>, goes through <see cref="SerializeToStreamAsync(Stream, TransportContext?, CancellationToken)"/>)
/// and the stream the caller reads (<see cref="HttpContent.ReadAsStreamAsync()"/>, as <c>GetStringAsync</c> and
/// <c>GetFromJsonAsync</c> do, gets a <see cref="DeadlineStream"/>). At the deadline the read in progress is
/// cancelled, which aborts the connection, the inner content is disposed, and the reader gets the time limiter's
/// <see cref="TimeLimiterTimeoutException"/>. The reader's own cancellation stays an <see cref="OperationCanceledException"/>.</para>
/// <para><b>Cost.</b> The deadline (a cancellation source and its timer) is made when a read starts, not before, and
/// disposed when it ends or the content is disposed: a body nobody reads costs this object and its headers only.</para>
/// </remarks>
internal sealed class DeadlineContent : HttpContent
{
    private readonly HttpContent _inner;
    private readonly TimeLimiterHandler _owner;
    private readonly TimeLimiter _limiter;
    private readonly HttpRequestMessage _request;
    private readonly long _started;
    private DeadlineStream? _stream;

    /// <summary>Initializes a new instance of the <see cref="DeadlineContent"/> class.</summary>
    /// <param name="inner">The content the inner handlers returned; disposed with this one.</param>
    /// <param name="owner">The handler whose limit this is.</param>
    /// <param name="limiter">The time limiter of the call.</param>
    /// <param name="request">The request, for the telemetry of a time-out.</param>
    /// <param name="started">When the call started, as a timestamp of the owner's time provider.</param>
    public DeadlineContent(HttpContent inner, TimeLimiterHandler owner, TimeLimiter limiter, HttpRequestMessage request, long started)
    {
        _inner = inner;
        _owner = owner;
        _limiter = limiter;
        _request = request;
        _started = started;
        foreach (KeyValuePair<string, HeaderStringValues> header in inner.Headers.NonValidated)
        {
            // One value is the common case: it is handed over as the string it is, without a copy.
            _ = header.Value.Count == 1
                ? Headers.TryAddWithoutValidation(header.Key, header.Value.ToString())
                : Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    /// <summary>Starts the deadline of one read, linked to the reader's token.</summary>
    internal BodyDeadline StartDeadline(CancellationToken reader) =>
        new(_owner.TimeProvider, _limiter.TimeoutDuration - _owner.TimeProvider.GetElapsedTime(_started), reader);

    /// <summary>Ends a read that ran out of time: disposes the inner content (its connection is released) and returns the exception for the reader.</summary>
    internal TimeLimiterTimeoutException TimedOut(Exception? exception)
    {
        _inner.Dispose();
        return _owner.OnBodyTimedOut(_request, _limiter, exception);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        using BodyDeadline deadline = StartDeadline(cancellationToken);
        if (deadline.IsExpired)
        {
            throw TimedOut(null);
        }

        try
        {
            await _inner.CopyToAsync(stream, context, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (deadline.IsExpired)
        {
            throw TimedOut(ex);
        }
    }

    protected override void SerializeToStream(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        using BodyDeadline deadline = StartDeadline(cancellationToken);
        if (deadline.IsExpired)
        {
            throw TimedOut(null);
        }

        // A blocking read does not watch a token: the deadline disposes the content under it instead.
        using CancellationTokenRegistration abort = deadline.Token.UnsafeRegister(static s => ((HttpContent)s!).Dispose(), _inner);
        try
        {
            _inner.CopyTo(stream, context, deadline.Token);
        }
        catch (Exception ex) when (deadline.IsExpired)
        {
            throw TimedOut(ex);
        }
    }

    protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) =>
        Track(new DeadlineStream(await _inner.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), this));

    protected override Stream CreateContentReadStream(CancellationToken cancellationToken) =>
        Track(new DeadlineStream(_inner.ReadAsStream(cancellationToken), this));

    protected override bool TryComputeLength(out long length)
    {
        length = _inner.Headers.ContentLength ?? 0;
        return _inner.Headers.ContentLength is not null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();

            // A stream the caller opened and never disposed: its deadline's timer stops with the response.
            Interlocked.Exchange(ref _stream, null)?.Dispose();
        }

        base.Dispose(disposing);
    }

    private DeadlineStream Track(DeadlineStream stream)
    {
        Interlocked.Exchange(ref _stream, stream)?.Dispose();
        return stream;
    }
}
