namespace Resilience.Http.Internal;

/// <summary>Whether a request's content can be sent again, whole, on a retry.</summary>
/// <remarks>
/// Content that serializes from memory on every send can be replayed: <see cref="ByteArrayContent"/> (and so
/// <see cref="StringContent"/> and <see cref="FormUrlEncodedContent"/>), <see cref="ReadOnlyMemoryContent"/>,
/// <c>System.Net.Http.Json.JsonContent</c>, which serializes its value again, the content of a unary or
/// server-streaming call of Grpc.Net.Client (its internal <c>PushUnaryContent</c>, which writes its one request message
/// again on every send; recognised by name, as the package is not referenced), and <see cref="MultipartContent"/>
/// made only of such parts. A <see cref="StreamContent"/> or an unknown type may have been partly read by the
/// failed attempt; sending it again could send half a body, so it is not replayed.
/// </remarks>
internal static class ContentReplay
{
    private const string JsonContentTypeName = "System.Net.Http.Json.JsonContent";

    /// <summary>The content of a unary or server-streaming call of Grpc.Net.Client, which writes its one request message on every send.</summary>
    private const string GrpcUnaryContentTypeName = "Grpc.Net.Client.Internal.PushUnaryContent`2";

    /// <summary>Whether <paramref name="content"/> can be replayed.</summary>
    public static bool CanReplay(HttpContent? content) => content switch
    {
        null => true,
        ByteArrayContent or ReadOnlyMemoryContent => true,
        MultipartContent multipart => CanReplayParts(multipart),
        _ => content.GetType() is var type && (type.FullName == JsonContentTypeName || IsGrpcUnaryContent(type)),
    };

    private static bool IsGrpcUnaryContent(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition().FullName == GrpcUnaryContentTypeName;

    private static bool CanReplayParts(MultipartContent multipart)
    {
        foreach (HttpContent part in multipart)
        {
            if (!CanReplay(part))
            {
                return false;
            }
        }

        return true;
    }
}
