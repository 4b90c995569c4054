using System.Net;

namespace Resilience.Http.Internal;

/// <summary>Which response bodies the standard composition buffers inside an attempt, and which it bounds by the total time limit.</summary>
/// <remarks>
/// <para>A handler cannot see the <see cref="HttpCompletionOption"/> the caller chose (<see cref="HttpClient"/> keeps it
/// to itself), so the rule depends on the request and the response only, and both handlers of a composition that
/// apply it decide alike for the same response.</para>
/// <para>A body that cannot stall is left alone: none (HEAD, 204, 304, <c>Content-Length: 0</c>) or one already in
/// memory (the empty content of a response without one, <see cref="ByteArrayContent"/> and its subclasses,
/// <see cref="ReadOnlyMemoryContent"/>). Of the others, one whose <c>Content-Length</c> is at most
/// <see cref="MaxAttemptBufferSize"/> is buffered inside the attempt; one without a length (chunked, perhaps endless:
/// server-sent events, long polls) or longer is read by the caller, bounded by what is left of the total limit.</para>
/// </remarks>
internal static class ResponseBody
{
    /// <summary>The longest body buffered inside an attempt: 1 MiB.</summary>
    public const long MaxAttemptBufferSize = 1024 * 1024;

    /// <summary>The type of the content of a response that was given none.</summary>
    private static readonly Type EmptyContentType = CreateEmptyContentType();

    /// <summary>Whether the attempt buffers <paramref name="response"/>'s body.</summary>
    public static bool IsBufferedInAttempt(HttpRequestMessage request, HttpResponseMessage response) =>
        MayStall(request, response) && response.Content.Headers.ContentLength is > 0 and <= MaxAttemptBufferSize;

    /// <summary>Whether reading <paramref name="response"/>'s body needs a deadline, given whether the attempts buffer bodies.</summary>
    public static bool NeedsDeadline(HttpRequestMessage request, HttpResponseMessage response, bool attemptBuffers)
    {
        if (!MayStall(request, response))
        {
            return false;
        }

        long? length = response.Content.Headers.ContentLength;
        return length != 0 && !(attemptBuffers && length <= MaxAttemptBufferSize);
    }

    /// <summary>Whether reading the body may wait on the network: there is one, and it is not in memory.</summary>
    private static bool MayStall(HttpRequestMessage request, HttpResponseMessage response)
    {
        if (request.Method == HttpMethod.Head || response.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.NotModified)
        {
            return false;
        }

        HttpContent content = response.Content;
        return content.GetType() != EmptyContentType && content is not (ByteArrayContent or ReadOnlyMemoryContent);
    }

    private static Type CreateEmptyContentType()
    {
        using var response = new HttpResponseMessage();
        return response.Content.GetType();
    }
}
