namespace Resilience.Http.Internal;

/// <summary>Which responses are failures for one breaker or retry: a predicate, a set of status codes, or the default rule.</summary>
internal sealed class HttpFailureRule
{
    private const int StatusCodeLimit = 600;

    /// <summary>5xx, 408 and 429.</summary>
    public static readonly HttpFailureRule Default = new(null, null);

    private readonly bool[]? _codes;
    private readonly Func<HttpResponseMessage, bool>? _predicate;

    private HttpFailureRule(bool[]? codes, Func<HttpResponseMessage, bool>? predicate)
    {
        _codes = codes;
        _predicate = predicate;
    }

    /// <summary>Compiles the rule; status codes outside 100–599 are rejected by option validation before this runs.</summary>
    public static HttpFailureRule Create(IList<int>? statusCodes, Func<HttpResponseMessage, bool>? predicate)
    {
        if (predicate is null && statusCodes is null)
        {
            return Default;
        }

        bool[]? codes = null;
        if (predicate is null)
        {
            codes = new bool[StatusCodeLimit];
            foreach (int code in statusCodes!)
            {
                if ((uint)code < StatusCodeLimit)
                {
                    codes[code] = true;
                }
            }
        }

        return new HttpFailureRule(codes, predicate);
    }

    /// <summary>Whether <paramref name="response"/> is a failure.</summary>
    public bool IsFailure(HttpResponseMessage response)
    {
        if (_predicate is not null)
        {
            return _predicate(response);
        }

        int code = (int)response.StatusCode;
        return _codes is null ? HttpFailureClassifier.IsFailureStatusCode(response.StatusCode) : (uint)code < StatusCodeLimit && _codes[code];
    }
}
