namespace Resilience.Identity;

/// <summary>
/// One value of a policy field, compiled: Istio's exact (<c>abc</c>), prefix (<c>abc*</c>), suffix (<c>*abc</c>) and
/// presence (<c>*</c>, any non-empty value) matches, case-sensitive.
/// </summary>
/// <remarks>
/// A matched value may come in two parts (a request's path base and path) that are compared as if concatenated,
/// without building the concatenation.
/// </remarks>
internal readonly struct ValueMatcher
{
    private readonly string _text;
    private readonly Kind _kind;

    private ValueMatcher(Kind kind, string text)
    {
        _kind = kind;
        _text = text;
    }

    private enum Kind
    {
        Exact,
        Prefix,
        Suffix,
        Presence,
    }

    /// <summary>Compiles a validated value: not empty, and a <c>*</c> only alone, first or last.</summary>
    public static ValueMatcher Create(string value) => value switch
    {
        "*" => new ValueMatcher(Kind.Presence, string.Empty),
        [.. var rest, '*'] => new ValueMatcher(Kind.Prefix, rest),
        ['*', .. var rest] => new ValueMatcher(Kind.Suffix, rest),
        _ => new ValueMatcher(Kind.Exact, value),
    };

    /// <summary>Whether <paramref name="value"/> matches; an absent value (<see langword="null"/> or empty) matches nothing.</summary>
    public bool Matches(string? value) => Matches([], value);

    /// <summary>Whether the concatenation of <paramref name="head"/> and <paramref name="tail"/> matches.</summary>
    public bool Matches(ReadOnlySpan<char> head, ReadOnlySpan<char> tail)
    {
        int length = head.Length + tail.Length;
        if (length == 0)
        {
            return false;
        }

        ReadOnlySpan<char> text = _text;
        return _kind switch
        {
            Kind.Presence => true,
            Kind.Exact => length == text.Length && StartsWith(head, tail, text),
            Kind.Prefix => length >= text.Length && StartsWith(head, tail, text),
            _ => length >= text.Length && EndsWith(head, tail, text),
        };
    }

    /// <summary>Whether any of <paramref name="matchers"/> matches.</summary>
    public static bool Any(ValueMatcher[] matchers, ReadOnlySpan<char> head, ReadOnlySpan<char> tail)
    {
        foreach (ValueMatcher matcher in matchers)
        {
            if (matcher.Matches(head, tail))
            {
                return true;
            }
        }

        return false;
    }

    // Both assume head.Length + tail.Length >= text.Length.
    private static bool StartsWith(ReadOnlySpan<char> head, ReadOnlySpan<char> tail, ReadOnlySpan<char> text) =>
        text.Length <= head.Length
            ? head.StartsWith(text, StringComparison.Ordinal)
            : head.SequenceEqual(text[..head.Length]) && tail.StartsWith(text[head.Length..], StringComparison.Ordinal);

    private static bool EndsWith(ReadOnlySpan<char> head, ReadOnlySpan<char> tail, ReadOnlySpan<char> text) =>
        text.Length <= tail.Length
            ? tail.EndsWith(text, StringComparison.Ordinal)
            : tail.SequenceEqual(text[^tail.Length..]) && head.EndsWith(text[..^tail.Length], StringComparison.Ordinal);
}
