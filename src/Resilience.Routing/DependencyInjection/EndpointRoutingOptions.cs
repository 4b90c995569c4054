using Resilience.Discovery;

namespace Resilience.Routing;

/// <summary>
/// How <c>AddEndpointRouting</c> chooses an endpoint for each attempt of a client's requests, and the per-endpoint pool
/// limits, with Envoy's names and defaults (Istio's for the limits).
/// </summary>
public sealed class EndpointRoutingOptions
{
    /// <summary>Gets the request option that holds the endpoint chosen for the current attempt, for outer handlers and telemetry.</summary>
    /// <remarks>Set before each attempt is sent and left on the request afterwards (the last attempt's endpoint).</remarks>
    public static HttpRequestOptionsKey<DiscoveredEndpoint> EndpointKey { get; } = new("Resilience.Routing.Endpoint");

    /// <summary>Gets or sets the name of the load-balancing policy: one of <see cref="LoadBalancingPolicies"/> or of a registered <see cref="ILoadBalancingPolicy"/>.</summary>
    /// <value>The default value is <see cref="LoadBalancingPolicies.LeastRequest"/>.</value>
    public string Policy { get; set; } = LoadBalancingPolicies.LeastRequest;

    /// <summary>Gets or sets Envoy's <c>choice_count</c>: the distinct endpoints least request draws, from 2 to 64.</summary>
    /// <value>The default value is 2.</value>
    public int ChoiceCount { get; set; } = EndpointRoutingConstants.DefaultChoiceCount;

    /// <summary>Gets or sets Envoy's <c>active_request_bias</c>: with unequal weights least request uses weight / (active + 1)^bias; 0 makes it weighted random.</summary>
    /// <value>The default value is 1.0.</value>
    public double ActiveRequestBias { get; set; } = 1.0;

    /// <summary>Gets or sets the header whose value is the hash key of <see cref="LoadBalancingPolicies.RingHash"/> and <see cref="LoadBalancingPolicies.Maglev"/>.</summary>
    /// <value>The default value is <see langword="null"/>. A request without the key gets a random endpoint.</value>
    public string? HashHeader { get; set; }

    /// <summary>Gets or sets the name of the string request option (<see cref="HttpRequestMessage.Options"/>) that is the hash key, instead of <see cref="HashHeader"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? HashProperty { get; set; }

    /// <summary>Gets or sets Envoy's <c>minimum_ring_size</c> of ring hash, from 1 to 8,388,608.</summary>
    /// <value>The default value is 1024.</value>
    public int MinimumRingSize { get; set; } = EndpointRoutingConstants.DefaultMinimumRingSize;

    /// <summary>Gets or sets Envoy's <c>maximum_ring_size</c> of ring hash, from <see cref="MinimumRingSize"/> to 8,388,608.</summary>
    /// <value>The default value is 8,388,608 (8M).</value>
    public int MaximumRingSize { get; set; } = EndpointRoutingConstants.MaxRingSize;

    /// <summary>Gets or sets Envoy's <c>table_size</c> of Maglev: a prime up to 5,000,011, at best 100 times the endpoints or more.</summary>
    /// <value>The default value is 65537.</value>
    public int MaglevTableSize { get; set; } = EndpointRoutingConstants.DefaultMaglevTableSize;

    /// <summary>Gets or sets slow start's <c>window</c> (round robin and least request): how long a new endpoint's weight ramps up.</summary>
    /// <value>The default value is <see cref="TimeSpan.Zero"/>: no slow start.</value>
    /// <remarks>Endpoints of the first set a process sees are not in slow start; those that join later are.</remarks>
    public TimeSpan SlowStartWindow { get; set; }

    /// <summary>Gets or sets slow start's <c>aggression</c>: the weight grows as time_factor^(1 / aggression); 1.0 is linear.</summary>
    /// <value>The default value is 1.0.</value>
    public double SlowStartAggression { get; set; } = 1.0;

    /// <summary>Gets or sets slow start's <c>min_weight_percent</c>: the least share of its weight a new endpoint gets, from 0 to 100.</summary>
    /// <value>The default value is 10.</value>
    public double SlowStartMinWeightPercent { get; set; } = EndpointRoutingConstants.DefaultSlowStartMinWeightPercent;

    /// <summary>Gets or sets Istio's <c>maxConnections</c>: the most connections to each endpoint, 1 or more.</summary>
    /// <value>The default value is <see langword="null"/>: unlimited, as Istio.</value>
    /// <remarks>Set as the primary handler's <c>MaxConnectionsPerServer</c> (a <see cref="SocketsHttpHandler"/> or
    /// <see cref="HttpClientHandler"/>), which applies per scheme, host and port: once the address is rewritten, per
    /// endpoint.</remarks>
    public int? MaxConnections { get; set; }

    /// <summary>Gets or sets Istio's <c>http2MaxRequests</c>: the most requests in flight to each endpoint, 1 or more.</summary>
    /// <value>The default value is <see langword="null"/>: unlimited, as Istio (Envoy's default is 1024).</value>
    public int? MaxRequests { get; set; }

    /// <summary>
    /// Gets or sets Istio's <c>perTryTimeout</c> (Envoy's <c>per_try_timeout</c>): how long one attempt may wait for
    /// its endpoint's response headers, from the moment it has a slot of the endpoint's pool. An attempt that runs out
    /// fails with a <see cref="TimeoutException"/>, which counts against the endpoint as a gateway failure (a 504 in
    /// Envoy) and which the resilience handlers' retry retries, on another endpoint.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: no per-attempt limit here (Istio's default). Above 0 when set.</value>
    /// <remarks>The time limiter of <c>AddResilientHttpClient</c> sits outside the routing handler: its time-out reaches
    /// this handler as a cancellation it cannot tell from the caller's, so it is not counted against the endpoint. Set
    /// this limit below the time limiter's for slow endpoints to be ejected.</remarks>
    public TimeSpan? AttemptTimeout { get; set; }

    /// <summary>
    /// Gets or sets Istio's <c>http1MaxPendingRequests</c>: the most requests that wait for one of an endpoint's
    /// <see cref="MaxRequests"/>, 0 or more; beyond it a request fails with <see cref="EndpointPoolFullException"/>.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: unlimited, as Istio. Applies only with <see cref="MaxRequests"/>.</value>
    public int? MaxPendingRequests { get; set; }

    /// <summary>Gets the traffic split between subsets of the endpoints (Istio's VirtualService), the one part of these options that follows configuration reloads.</summary>
    /// <value>The default value is empty: no split.</value>
    public TrafficSplitOptions Split { get; } = new();

    /// <summary>Gets or sets Envoy's outlier detection for the destination service: which endpoints are ejected from load balancing, and the panic threshold.</summary>
    /// <value>The default value is <see langword="null"/>: no outlier detection, as in Envoy (a cluster without
    /// <c>outlier_detection</c>). An <c>OutlierDetection</c> section with any key (such as <c>Consecutive5xx: 5</c>) turns it on, with Envoy's defaults for the keys it omits.</value>
    /// <remarks>One detector per destination service (such as <c>http://inventory</c>), shared by every routed client of
    /// it and made with the options of the first client that routes to it with outlier detection.</remarks>
    public OutlierDetectionOptions? OutlierDetection { get; set; }

    /// <summary>Gets or sets the retry budget of the destination service (Envoy's <c>retry_budget</c>).</summary>
    /// <value>The default value is <see langword="null"/>: no budget. A <c>RetryBudget</c> section with any key sets one, with Envoy's defaults (20 %, 3) for the keys it omits.</value>
    /// <remarks>One budget per destination service, shared like <see cref="OutlierDetection"/>. An attempt of a request that
    /// already went to an endpoint is a retry (or a hedge); a retry the budget refuses fails with <see cref="RetryBudgetExhaustedException"/>.</remarks>
    public RetryBudgetOptions? RetryBudget { get; set; }

    /// <summary>Gets or sets Istio's <c>retryIgnorePreviousHosts</c>: a retry goes to an endpoint the request has not tried yet whenever one is available.</summary>
    /// <value>The default value is <see langword="true"/>, as in Istio.</value>
    public bool RetryIgnorePreviousHosts { get; set; } = true;
}
