using System.IO.Hashing;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;

namespace Resilience.Routing.LoadBalancing;

/// <summary>
/// The hash key of a request for <see cref="RingHashPolicy"/> and <see cref="MaglevPolicy"/>: a header's value (several
/// values joined by <c>", "</c>) or a string request option (<see cref="HttpRequestMessage.Options"/>), hashed with
/// xxHash64 (Envoy's default) over its UTF-16 code units.
/// </summary>
internal sealed class HashKey(string? header, string? property)
{
    public bool TryGetHash(HttpRequestMessage request, out ulong hash)
    {
        string? key = null;
        if (header is not null && request.Headers.NonValidated.TryGetValues(header, out HeaderStringValues values))
        {
            key = values.ToString();
        }
        else if (property is not null)
        {
            request.Options.TryGetValue(new HttpRequestOptionsKey<string>(property), out key);
        }

        hash = key is null ? 0 : Hash(key, 0);
        return key is not null;
    }

    public static ulong Hash(string text, long seed) => XxHash64.HashToUInt64(MemoryMarshal.AsBytes(text.AsSpan()), seed);
}
