using System.Net;
using Resilience.Http.Internal;

namespace Resilience.Http.Tests.Internal;

public class ResponseBodyTests
{
    public static TheoryData<string, string, HttpStatusCode, string, bool, bool> Cases => new()
    {
        // method, content (none | bytes | stream:{length|chunked}), status, case, buffered in attempt, needs a deadline (attempts buffer)
        { "GET", "none", HttpStatusCode.OK, "no body", false, false },
        { "GET", "bytes", HttpStatusCode.OK, "in memory", false, false },
        { "HEAD", "stream:100", HttpStatusCode.OK, "HEAD", false, false },
        { "GET", "stream:100", HttpStatusCode.NoContent, "204", false, false },
        { "GET", "stream:0", HttpStatusCode.OK, "length 0", false, false },
        { "GET", "stream:100", HttpStatusCode.OK, "short", true, false },
        { "POST", "stream:1048576", HttpStatusCode.InternalServerError, "1 MiB", true, false },
        { "GET", "stream:1048577", HttpStatusCode.OK, "over 1 MiB", false, true },
        { "GET", "stream:chunked", HttpStatusCode.OK, "chunked", false, true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void IsBufferedInAttemptAndNeedsDeadline_Response_FollowTheRule(string method, string content, HttpStatusCode status, string name, bool buffered, bool deadline)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), "http://a.test/");
        using var response = new HttpResponseMessage(status);
        if (content == "bytes")
        {
            response.Content = new ByteArrayContent([1, 2, 3]);
        }
        else if (content.StartsWith("stream:", StringComparison.Ordinal))
        {
            response.Content = new StreamContent(Stream.Null);
            if (content != "stream:chunked")
            {
                response.Content.Headers.ContentLength = long.Parse(content["stream:".Length..], System.Globalization.CultureInfo.InvariantCulture);
            }
            else
            {
                response.Content.Headers.ContentLength = null;
            }
        }

        ResponseBody.IsBufferedInAttempt(request, response).Should().Be(buffered, name);
        ResponseBody.NeedsDeadline(request, response, attemptBuffers: true).Should().Be(deadline, name);
        ResponseBody.NeedsDeadline(request, response, attemptBuffers: false).Should().Be(deadline || buffered, name);
    }
}
