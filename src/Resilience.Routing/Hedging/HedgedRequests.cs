using System.Net;

namespace Resilience.Routing.Internal;

/// <summary>Which requests are hedged, and the copy of a request that a hedged attempt sends.</summary>
internal static class HedgedRequests
{
    private const string JsonContentTypeName = "System.Net.Http.Json.JsonContent";

    /// <summary>
    /// Whether <paramref name="request"/> may be sent more than once at the same time: an idempotent method of RFC 9110
    /// (GET, HEAD, OPTIONS, TRACE, PUT, DELETE) and no content, or content that serializes from memory on every send
    /// without being consumed (<see cref="ByteArrayContent"/>, so <see cref="StringContent"/> and
    /// <see cref="FormUrlEncodedContent"/>, <see cref="ReadOnlyMemoryContent"/> and <c>JsonContent</c>).
    /// </summary>
    public static bool CanHedge(HttpRequestMessage request)
    {
        if (request.RequestUri is not { IsAbsoluteUri: true })
        {
            return false;
        }

        HttpMethod method = request.Method;
        bool idempotent = method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Options
            || method == HttpMethod.Trace || method == HttpMethod.Put || method == HttpMethod.Delete;
        return idempotent && request.Content switch
        {
            null => true,
            ByteArrayContent or ReadOnlyMemoryContent => true,
            HttpContent content => content.GetType().FullName == JsonContentTypeName,
        };
    }

    /// <summary>Whether an attempt's response is a failure that another attempt may answer better: a 5xx, 408 or 429.</summary>
    public static bool IsFailure(HttpResponseMessage response) =>
        (int)response.StatusCode >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    /// <summary>
    /// A copy of <paramref name="source"/> addressed to <paramref name="logical"/>: method, version, headers, options
    /// (so the same <see cref="AttemptedEndpoints"/>) and the same content, which the copy never disposes.
    /// </summary>
    /// <remarks>Made from the caller's request, which the attempts never send, so no inner handler changes it meanwhile.</remarks>
    public static HttpRequestMessage Clone(HttpRequestMessage source, Uri logical)
    {
        var clone = new HttpRequestMessage(source.Method, logical)
        {
            Version = source.Version,
            VersionPolicy = source.VersionPolicy,
        };
        foreach (KeyValuePair<string, IEnumerable<string>> header in source.Headers)
        {
            clone.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        IDictionary<string, object?> options = clone.Options;
        foreach (KeyValuePair<string, object?> option in source.Options)
        {
            options[option.Key] = option.Value;
        }

        if (source.Content is HttpContent content)
        {
            clone.Content = new SharedContent(content is SharedContent shared ? shared.Inner : content);
        }

        return clone;
    }

    /// <summary>Sends the content of another request, which serializes again on every send, and never disposes it.</summary>
    private sealed class SharedContent : HttpContent
    {
        private readonly long? _length;

        public SharedContent(HttpContent inner)
        {
            Inner = inner;
            _length = inner.Headers.ContentLength;
            foreach (KeyValuePair<string, IEnumerable<string>> header in inner.Headers)
            {
                Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        public HttpContent Inner { get; }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => Inner.CopyToAsync(stream, context);

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
            Inner.CopyToAsync(stream, context, cancellationToken);

        protected override bool TryComputeLength(out long length)
        {
            length = _length ?? -1;
            return _length is not null;
        }
    }
}
