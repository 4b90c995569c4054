namespace Resilience.Http.Internal;

/// <summary>A <see cref="Retry"/> with the HTTP rules of its options, built once per options version.</summary>
internal sealed class HttpRetryPolicy
{
    /// <summary>With the system clock, a call's start is read from the coarse tick count (about 5 ns instead of 27): a wait is fitted into a budget of seconds, so millisecond resolution is plenty.</summary>
    private readonly bool _coarseClock;

    public HttpRetryPolicy(string instanceName, HttpRetryOptions options, TimeSpan? totalTimeout, TimeProvider timeProvider)
    {
        Options = options;
        HttpRetryOptions copy = options.CloneHttp();
        if (copy.RetryExceptionPredicate is null && copy.RetryExceptions.Count == 0)
        {
            copy.RetryExceptionPredicate = static ex => HttpFailureClassifier.IsFailureException(ex, CancellationToken.None);
        }

        // Responses are judged by the failure rule here, not by a result predicate inside the retry.
        copy.RetryResultPredicate = null;
        Retry = new Retry(instanceName, copy, timeProvider);
        Rule = HttpFailureRule.Create(options.FailureStatusCodes, options.FailureResponsePredicate);
        TotalTimeout = totalTimeout is { } t && t != Timeout.InfiniteTimeSpan ? t : null;
        TimeProvider = timeProvider;
        _coarseClock = ReferenceEquals(timeProvider, TimeProvider.System);
    }

    /// <summary>Gets the options the policy was built from.</summary>
    public HttpRetryOptions Options { get; }

    /// <summary>Gets the retry whose rules, metrics and events the handler uses.</summary>
    public Retry Retry { get; }

    /// <summary>Gets which responses are failures.</summary>
    public HttpFailureRule Rule { get; }

    /// <summary>Gets the total time limit the retries must fit in, when the composition has one.</summary>
    public TimeSpan? TotalTimeout { get; }

    /// <summary>Gets the source of time.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Reads the start of a call, only when a total time limit needs it.</summary>
    public long StartTimestamp() => TotalTimeout is null ? 0 : _coarseClock ? Environment.TickCount64 : TimeProvider.GetTimestamp();

    /// <summary>The time since <paramref name="start"/>, a value of <see cref="StartTimestamp"/>.</summary>
    public TimeSpan ElapsedSince(long start) =>
        _coarseClock ? TimeSpan.FromMilliseconds(Environment.TickCount64 - start) : TimeProvider.GetElapsedTime(start);

    /// <summary>Whether the request may be sent again; <paramref name="reason"/> says why not.</summary>
    public bool CanResend(HttpRequestMessage request, out string? reason)
    {
        if (!Options.RetryNonIdempotentMethods && !HttpMethodPolicy.IsIdempotent(request.Method))
        {
            reason = $"the method {request.Method} is not idempotent (set RetryNonIdempotentMethods to retry it)";
            return false;
        }

        if (!ContentReplay.CanReplay(request.Content))
        {
            reason = $"its content ({request.Content!.GetType().Name}) cannot be replayed whole";
            return false;
        }

        reason = null;
        return true;
    }
}
