using Resilience.Discovery;
using Resilience.Http;
using Resilience.Routing.Split;

namespace Resilience.Routing.Internal;

/// <summary>
/// One routed client's choices, shared by its handlers (IHttpClientFactory recreates them): the policy, the limits, and
/// the per-service endpoint state, outlier detector and retry budget in the singleton <see cref="EndpointStateRegistry"/>.
/// </summary>
/// <remarks>
/// <para><b>Candidates.</b> A pick sees every endpoint not ejected; in panic (too few healthy, see
/// <see cref="OutlierDetectionOptions.HealthyPanicThreshold"/>) every endpoint. A retry, with
/// <see cref="EndpointRoutingOptions.RetryIgnorePreviousHosts"/>, sees only those it has not tried when one of them is
/// a candidate, and all the candidates otherwise (<see cref="PreviousHosts"/>' rule).</para>
/// <para><b>Retries.</b> An attempt of a request that already went to an endpoint (it carries
/// <see cref="EndpointRoutingOptions.EndpointKey"/>, or <see cref="AttemptedEndpoints"/> a hedging layer filled) is a
/// retry. The first attempt records nothing more than the endpoint key, so it allocates nothing; a retry records every
/// endpoint the request went to in its <see cref="AttemptedEndpoints"/>.</para>
/// </remarks>
internal sealed class EndpointRouter
{
    private const int GrpcUnknown = 2;
    private const int GrpcDeadlineExceeded = 4;
    private const int GrpcResourceExhausted = 8;
    private const int GrpcInternal = 13;
    private const int GrpcUnavailable = 14;
    private const int GrpcDataLoss = 15;

    // The excluded endpoints of the pick in progress on this thread: a pick is synchronous, so one array per thread.
    [ThreadStatic]
    private static bool[]? t_excluded;

    private readonly EndpointStateRegistry _registry;
    private readonly TimeProvider _time;
    private readonly OutlierDetectionOptions? _outliers;
    private readonly RetryBudgetOptions? _budget;
    private readonly bool _ignorePreviousHosts;
    private readonly OutlierTelemetry _outlierTelemetry;
    private readonly RetryBudgetTelemetry _budgetTelemetry;

    public EndpointRouter(
        EndpointSetResolver resolver,
        EndpointStateRegistry registry,
        ILoadBalancingPolicy policy,
        TimeProvider time,
        EndpointRoutingOptions options,
        OutlierTelemetry outlierTelemetry,
        RetryBudgetTelemetry budgetTelemetry)
    {
        Resolver = resolver;
        Policy = policy;
        MaxRequests = options.MaxRequests ?? EndpointState.Unlimited;
        MaxPendingRequests = options.MaxPendingRequests ?? int.MaxValue - 1;
        AttemptTimeout = options.AttemptTimeout;
        _registry = registry;
        _time = time;
        _outliers = options.OutlierDetection;
        _budget = options.RetryBudget;
        _ignorePreviousHosts = options.RetryIgnorePreviousHosts;
        _outlierTelemetry = outlierTelemetry;
        _budgetTelemetry = budgetTelemetry;
    }

    public EndpointSetResolver Resolver { get; }

    public ILoadBalancingPolicy Policy { get; }

    /// <summary>Gets the most requests in flight per endpoint, <see cref="EndpointState.Unlimited"/> when none.</summary>
    public int MaxRequests { get; }

    public int MaxPendingRequests { get; }

    /// <summary>Gets the per-attempt limit (Istio's <c>perTryTimeout</c>), or <see langword="null"/>.</summary>
    public TimeSpan? AttemptTimeout { get; }

    /// <summary>Gets the clock of the per-attempt limit and the outlier detection.</summary>
    public TimeProvider Time => _time;

    /// <summary>Gets the traffic split between subsets, or <see langword="null"/>.</summary>
    public TrafficSplitter? Split { get; init; }

    /// <summary>
    /// Chooses the endpoint of one attempt and, with a retry budget, admits it: throws
    /// <see cref="HttpRequestException"/> when no endpoint can be chosen and <see cref="RetryBudgetExhaustedException"/>
    /// when the budget refuses a retry. Every attempt returned must be ended with <see cref="End"/>.
    /// </summary>
    public RoutedAttempt Begin(HttpRequestMessage request, EndpointSet set)
    {
        ServiceEndpoints service = _registry.For(set.ServiceName);
        OutlierDetector? detector = _outliers is null ? null : service.Detector ?? service.EnsureDetector(static r => r.Router.CreateDetector(r.ServiceName), (Router: this, set.ServiceName));
        RetryBudget? budget = _budget is null ? null : service.Budget ?? service.EnsureBudget(static r => r.Router.CreateBudget(r.ServiceName), (Router: this, set.ServiceName));
        RoutingSnapshot snapshot = service.Update(set, _time);
        snapshot = Split?.Select(request, snapshot) ?? snapshot; // the chosen subset's endpoints, sharing their states
        request.Options.TryGetValue(EndpointRoutingOptions.EndpointKey, out DiscoveredEndpoint? previous);
        AttemptedEndpoints? attempted = AttemptedEndpoints.Find(request);
        bool retry = previous is not null || attempted is { Count: > 0 };

        int index = Pick(request, snapshot, detector, retry ? (attempted, previous) : default);
        if (budget is not null)
        {
            if (!retry)
            {
                budget.RequestStarted();
            }
            else if (!budget.TryStartRetry())
            {
                throw new RetryBudgetExhaustedException(set.ServiceName);
            }
        }

        EndpointState state = snapshot.States[index];
        if (retry || attempted is not null)
        {
            // A retry records where the request went; so does the first attempt of a request a hedging layer tracks,
            // so that its hedges avoid that endpoint.
            attempted ??= AttemptedEndpoints.For(request);
            if (previous is not null)
            {
                attempted.Add(previous.ToString());
            }

            attempted.Add(state.Key);
        }

        return new RoutedAttempt(snapshot.Endpoints[index], state, detector, budget, retry);
    }

    /// <summary>Counts the attempt's outcome against its endpoint (never the caller's cancellation) and gives back its place in the budget.</summary>
    public static void End(in RoutedAttempt attempt, HttpResponseMessage? response, Exception? exception, CancellationToken cancellationToken)
    {
        if (attempt.Detector is { } detector && attempt.State.Outlier is OutlierStatistics statistics)
        {
            EndpointOutcome? outcome = response is not null ? Classify(response) : Classify(exception, cancellationToken);
            if (outcome is { } counted)
            {
                detector.Record(statistics, counted);
            }
        }

        if (attempt.Budget is { } budget)
        {
            if (attempt.IsRetry)
            {
                budget.RetryEnded();
            }
            else
            {
                budget.RequestEnded();
            }
        }
    }

    /// <summary>
    /// Below 500 a success (a 4xx is the caller's mistake), unless it carries a gRPC status that reports a server
    /// failure; 502, 503 and 504 gateway failures; other 5xx server errors.
    /// </summary>
    /// <remarks>
    /// gRPC statuses map as Envoy's gRPC-to-HTTP table does: UNAVAILABLE (503) and DEADLINE_EXCEEDED (504) are gateway
    /// failures; UNKNOWN, INTERNAL and DATA_LOSS (500) server errors; RESOURCE_EXHAUSTED, which Envoy maps to 429, is a
    /// server error too, so that an overloaded endpoint is ejected. Any other status, CANCELLED included (the caller's
    /// token did not fire), is the endpoint answering.
    /// </remarks>
    internal static EndpointOutcome Classify(HttpResponseMessage response) => (int)response.StatusCode switch
    {
        < 500 => GrpcStatus.TryGet(response, out int grpc) ? ClassifyGrpc(grpc) : EndpointOutcome.Success,
        502 or 503 or 504 => EndpointOutcome.GatewayFailure,
        _ => EndpointOutcome.ServerError,
    };

    private static EndpointOutcome ClassifyGrpc(int status) => status switch
    {
        GrpcUnavailable or GrpcDeadlineExceeded => EndpointOutcome.GatewayFailure,
        GrpcUnknown or GrpcInternal or GrpcDataLoss or GrpcResourceExhausted => EndpointOutcome.ServerError,
        _ => EndpointOutcome.Success,
    };

    /// <summary>
    /// A connection failure, a time-out or a cancellation the caller did not ask for is a local-origin failure; the
    /// caller's cancellation and everything else (a rejection by a pool, a bug) are not counted.
    /// </summary>
    /// <remarks>An outer time limiter's attempt time-out reaches this handler as a cancellation of its token, which it
    /// cannot tell from the caller's: it is not counted. A time-out raised inside (a connect time-out) is.</remarks>
    internal static EndpointOutcome? Classify(Exception? exception, CancellationToken cancellationToken) => exception switch
    {
        OperationCanceledException when cancellationToken.IsCancellationRequested => null,
        HttpRequestException or TimeoutException or OperationCanceledException => EndpointOutcome.LocalOriginFailure,
        _ => null,
    };

    private int Pick(HttpRequestMessage request, RoutingSnapshot snapshot, OutlierDetector? detector, (AttemptedEndpoints? Attempted, DiscoveredEndpoint? Previous) tried)
    {
        int count = snapshot.States.Length;
        bool panic = false;
        if (detector is not null && detector.EjectedCount > 0)
        {
            panic = detector.InPanic(ServiceEndpoints.RefreshEjections(snapshot, detector), count);
        }

        bool avoidTried = _ignorePreviousHosts && (tried.Attempted is not null || tried.Previous is not null);
        bool[]? excluded = panic || avoidTried ? Exclude(snapshot, panic, avoidTried ? tried : default) : null;
        var context = new LoadBalancingContext(request, snapshot, excluded);
        int index = Policy.Pick(in context);
        if (index < 0)
        {
            throw new HttpRequestException(
                HttpRequestError.NameResolutionError,
                count == 0
                    ? $"The service '{snapshot.ServiceName}' has no endpoint (endpoint set version {snapshot.Version})."
                    : $"The service '{snapshot.ServiceName}' has no available endpoint: the {Policy.Name} policy chose none of its {count} (endpoint set version {snapshot.Version}).");
        }

        if (index >= count)
        {
            throw new InvalidOperationException($"The load-balancing policy '{Policy.Name}' chose endpoint {index} of {count}.");
        }

        return index;
    }

    /// <summary>The endpoints to exclude: the ejected ones unless in panic; then those tried, unless no candidate is left untried.</summary>
    private static bool[] Exclude(RoutingSnapshot snapshot, bool panic, (AttemptedEndpoints? Attempted, DiscoveredEndpoint? Previous) tried)
    {
        EndpointState[] states = snapshot.States;
        bool[] excluded = t_excluded is { } scratch && scratch.Length >= states.Length ? scratch : t_excluded = new bool[Math.Max(16, states.Length)];
        string? previous = tried.Previous?.ToString();
        bool untried = false;
        for (int i = 0; i < states.Length; i++)
        {
            excluded[i] = !panic && states[i].IsEjected;
            untried |= !excluded[i] && !WasTried(states[i].Key, tried.Attempted, previous);
        }

        if (untried)
        {
            for (int i = 0; i < states.Length; i++)
            {
                excluded[i] |= WasTried(states[i].Key, tried.Attempted, previous);
            }
        }

        return excluded;
    }

    private static bool WasTried(string key, AttemptedEndpoints? attempted, string? previous) =>
        string.Equals(key, previous, StringComparison.Ordinal) || attempted?.Contains(key) == true;

    private OutlierDetector CreateDetector(string serviceName) => new(serviceName, _outliers!, _time, _outlierTelemetry);

    private RetryBudget CreateBudget(string serviceName) => new(serviceName, _budget!, _time, _budgetTelemetry);
}

/// <summary>One attempt the router admitted: its endpoint and state, and the service's detector and budget to report to.</summary>
internal readonly record struct RoutedAttempt(DiscoveredEndpoint Endpoint, EndpointState State, OutlierDetector? Detector, RetryBudget? Budget, bool IsRetry);
