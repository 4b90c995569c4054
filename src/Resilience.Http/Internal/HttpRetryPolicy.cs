using Resilience.Http.Telemetry;

namespace Resilience.Http.Internal;

/// <summary>A Core <see cref="Retry"/> configured with the HTTP rules of its options, built once per options version.</summary>
/// <remarks>
/// The rules are options of the retry, so that its own loop (driven by <see cref="RetryContext"/>) applies them:
/// <list type="bullet">
/// <item>Retried results: the failure responses (<see cref="HttpRetryOptions.FailureStatusCodes"/> and
/// <see cref="HttpRetryOptions.FailureGrpcStatusCodes"/>, or <see cref="HttpRetryOptions.FailureResponsePredicate"/>).</item>
/// <item>Retried exceptions: transient HTTP failures (not a certificate rejected at the TLS handshake), unless the
/// options name their own.</item>
/// <item>The interval function, which sees the request as the call's state: a request whose method is not idempotent
/// or whose content cannot be replayed is not sent again; <c>Retry-After</c> chooses the wait for a response that
/// carries it (capped by <see cref="HttpRetryOptions.MaxRetryAfterDelay"/>); and a wait that would end after the
/// composition's total time limit stops the retries. Each refusal is logged with its reason.</item>
/// <item>A retried response is disposed before the next attempt, through the consume hook.</item>
/// </list>
/// </remarks>
internal sealed class HttpRetryPolicy
{
    /// <summary>The default consume hook of <see cref="RetryOptions"/>, which the HTTP hook replaces rather than calls.</summary>
    private static readonly Action<int, object?>? DefaultConsume = new RetryOptions().ConsumeResultBeforeRetryAttempt;

    private readonly Func<RetryIntervalArguments, TimeSpan?>? _intervalFunction;
    private readonly HttpResilienceTelemetry _telemetry;
    private readonly TelemetrySource _source;

    public HttpRetryPolicy(string instanceName, HttpRetryOptions options, TimeSpan? totalTimeout, TimeProvider timeProvider, HttpResilienceTelemetry telemetry, TelemetrySource source)
    {
        Options = options;
        TotalTimeout = totalTimeout is { } t && t != Timeout.InfiniteTimeSpan ? t : null;
        Rule = HttpFailureRule.Create(options.FailureStatusCodes, options.FailureGrpcStatusCodes, HttpResilienceConstants.DefaultRetryGrpcStatusCodes, options.FailureResponsePredicate);
        _intervalFunction = options.IntervalFunction;
        _telemetry = telemetry;
        _source = source;

        HttpRetryOptions copy = options.CloneHttp();
        if (copy.RetryExceptionPredicate is null && copy.RetryExceptions.Count == 0)
        {
            copy.RetryExceptionPredicate = static ex => HttpFailureClassifier.IsTransientException(ex, CancellationToken.None);
        }

        HttpFailureRule rule = Rule;
        copy.RetryResultPredicate = r => r is HttpResponseMessage response && rule.IsFailure(response);
        copy.IntervalFunction = ChooseWait;
        Action<int, object?>? consume = options.ConsumeResultBeforeRetryAttempt;
        copy.ConsumeResultBeforeRetryAttempt = consume is null || ReferenceEquals(consume, DefaultConsume)
            ? DisposeResponse
            : (attempt, result) =>
            {
                try
                {
                    consume(attempt, result);
                }
                finally
                {
                    DisposeResponse(attempt, result);
                }
            };
        Retry = new Retry(instanceName, copy, timeProvider);
    }

    /// <summary>Gets the options the policy was built from.</summary>
    public HttpRetryOptions Options { get; }

    /// <summary>Gets the retry that runs the calls, with the HTTP rules as its options.</summary>
    public Retry Retry { get; }

    /// <summary>Gets which responses are failures.</summary>
    public HttpFailureRule Rule { get; }

    /// <summary>Gets the total time limit the retries must fit in, when the composition has one.</summary>
    public TimeSpan? TotalTimeout { get; }

    /// <summary>Whether the request may be sent again after <paramref name="response"/>; <paramref name="reason"/> says why not.</summary>
    /// <remarks>A gRPC call failed by a retried gRPC status is sent again whatever its method (always POST), as gRPC's own retry policy does.</remarks>
    public bool CanResend(HttpRequestMessage request, HttpResponseMessage? response, out string? reason)
    {
        if (!Options.RetryNonIdempotentMethods && !HttpMethodPolicy.IsIdempotent(request.Method)
            && (response is null || !Rule.IsGrpcFailure(response)))
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

    /// <summary>Every HTTP client disposes a response it will not return; the connection is freed at once.</summary>
    private static void DisposeResponse(int attempt, object? result) => (result as IDisposable)?.Dispose();

    /// <summary>The retry's interval function: the request rules, then <c>Retry-After</c> or the backoff, then the total time limit. A negative wait stops the retries.</summary>
    private TimeSpan? ChooseWait(RetryIntervalArguments arguments)
    {
        var request = arguments.State as HttpRequestMessage;
        if (request is not null && !CanResend(request, arguments.Result as HttpResponseMessage, out string? reason))
        {
            _telemetry.OnRetryNotAttempted(_source, request, reason!);
            return Timeout.InfiniteTimeSpan;
        }

        TimeSpan wait;
        if (arguments.Result is HttpResponseMessage response && Options.UseRetryAfterHeader
            && RetryAfterHint.TryGetDelay(response, Retry.TimeProvider.GetUtcNow(), out TimeSpan hint))
        {
            wait = hint > Options.MaxRetryAfterDelay ? Options.MaxRetryAfterDelay : hint;
        }
        else if (_intervalFunction?.Invoke(arguments) is { } chosen)
        {
            if (chosen < TimeSpan.Zero)
            {
                return chosen;
            }

            wait = chosen;
        }
        else
        {
            wait = arguments.BackoffWait;
        }

        if (TotalTimeout is { } total && RetryAfterHint.Fit(wait, TimeSpan.MaxValue, total - arguments.Elapsed) is null)
        {
            if (request is not null)
            {
                _telemetry.OnRetryNotAttempted(_source, request, $"the wait of {wait} would end after the total time limit of {total}");
            }

            return Timeout.InfiniteTimeSpan;
        }

        return wait;
    }
}
