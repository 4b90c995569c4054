namespace Resilience.Routing.Internal;

/// <summary>
/// The logical service name of a request's address, <c>scheme://host[:port]</c>, remembered per handler so that the
/// requests of a client, which share it, find it without allocating.
/// </summary>
/// <remarks>Lock-free: the last name is read and replaced with volatile accesses; a race only costs one more
/// computation of a name, never a wrong one, since a cached name is used only when the address starts with it.</remarks>
internal sealed class ServiceNameCache
{
    private string? _last;

    /// <summary><c>scheme://host[:port]</c> of <paramref name="address"/>, reusing the last name when the address starts with it.</summary>
    public string Of(Uri address)
    {
        string? last = Volatile.Read(ref _last);
        string text = address.OriginalString;
        if (last is not null && text.StartsWith(last, StringComparison.Ordinal)
            && (text.Length == last.Length || text[last.Length] is '/' or '?' or '#'))
        {
            return last;
        }

        string name = address.GetLeftPart(UriPartial.Authority);
        Volatile.Write(ref _last, name);
        return name;
    }
}
