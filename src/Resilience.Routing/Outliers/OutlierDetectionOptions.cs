using Resilience.Routing.Internal;

namespace Resilience.Routing;

/// <summary>
/// When an endpoint of a destination service is ejected from load balancing, and when too few healthy endpoints make
/// the balancer ignore health (the panic threshold): Envoy's outlier detection with Envoy's defaults. Bound from
/// configuration such as <c>Routing:OutlierDetection</c> and validated at start.
/// </summary>
/// <remarks>
/// <para>The names are Envoy's (<c>envoy.config.cluster.v3.OutlierDetection</c>) in PascalCase. Istio's
/// <c>DestinationRule.trafficPolicy.outlierDetection</c> maps onto them: <c>consecutive5xxErrors</c> →
/// <see cref="Consecutive5xx"/>, <c>consecutiveGatewayErrors</c> → <see cref="ConsecutiveGatewayFailure"/> (Istio sets
/// <see cref="EnforcingConsecutiveGatewayFailure"/> to 100 when it is given), <c>interval</c> → <see cref="Interval"/>,
/// <c>baseEjectionTime</c> → <see cref="BaseEjectionTime"/>, <c>maxEjectionPercent</c> →
/// <see cref="MaxEjectionPercent"/> and <c>minHealthPercent</c> → <see cref="HealthyPanicThreshold"/>. Istio's own
/// defaults differ in one place: its <c>minHealthPercent</c> is 0 (no panic mode), where Envoy's panic threshold is 50 %.</para>
/// <para>The consecutive detectors eject inline, on the Nth failure in a row. The success-rate and failure-percentage
/// detectors run at each <see cref="Interval"/> over the requests of the interval before. The caller's own
/// cancellations are never counted.</para>
/// </remarks>
public sealed class OutlierDetectionOptions
{
    /// <summary>Gets or sets how many 5xx responses in a row (gateway failures and connection failures included) eject an endpoint.</summary>
    /// <value>The default value is 5. 0 turns the detector off (as Istio's <c>consecutive5xxErrors: 0</c>).</value>
    public int Consecutive5xx { get; set; } = OutlierDetectionConstants.DefaultConsecutive5xx;

    /// <summary>Gets or sets the chance, in percent, that an endpoint detected by <see cref="Consecutive5xx"/> is actually ejected.</summary>
    /// <value>The default value is 100. From 0 (detected, never ejected) to 100.</value>
    public int EnforcingConsecutive5xx { get; set; } = OutlierDetectionConstants.DefaultEnforcingConsecutive5xx;

    /// <summary>Gets or sets how many gateway failures in a row (502, 503, 504 and connection failures) eject an endpoint.</summary>
    /// <value>The default value is 5; the detector acts only when <see cref="EnforcingConsecutiveGatewayFailure"/> is above 0.</value>
    public int ConsecutiveGatewayFailure { get; set; } = OutlierDetectionConstants.DefaultConsecutiveGatewayFailure;

    /// <summary>Gets or sets the chance, in percent, that an endpoint detected by <see cref="ConsecutiveGatewayFailure"/> is actually ejected.</summary>
    /// <value>The default value is 0: the gateway-failure detector is off, as in Envoy.</value>
    public int EnforcingConsecutiveGatewayFailure { get; set; } = OutlierDetectionConstants.DefaultEnforcingConsecutiveGatewayFailure;

    /// <summary>Gets or sets the time between sweeps: the success-rate and failure-percentage detectors run, and the multipliers of healthy endpoints decay.</summary>
    /// <value>The default value is 10 seconds. Above 0, at most a day.</value>
    public TimeSpan Interval { get; set; } = OutlierDetectionConstants.DefaultInterval;

    /// <summary>Gets or sets the base ejection time: an endpoint is ejected for this time multiplied by the number of times in a row it has been ejected.</summary>
    /// <value>The default value is 30 seconds. Above 0, at most a day.</value>
    public TimeSpan BaseEjectionTime { get; set; } = OutlierDetectionConstants.DefaultBaseEjectionTime;

    /// <summary>Gets or sets the longest ejection, whatever the multiplier.</summary>
    /// <value>The default value is <see langword="null"/>: 300 seconds, or <see cref="BaseEjectionTime"/> when that is larger. When set, at least <see cref="BaseEjectionTime"/>.</value>
    public TimeSpan? MaxEjectionTime { get; set; }

    /// <summary>Gets or sets the largest share of the endpoints, in percent, that may be ejected at once.</summary>
    /// <value>The default value is 10. From 0 to 100.</value>
    /// <remarks>An ejection is allowed while <c>100 × (ejected + 1) / endpoints ≤ MaxEjectionPercent</c>: with 10
    /// endpoints and 10 %, one at a time; with fewer than 10 endpoints and 10 %, none, unless
    /// <see cref="AlwaysEjectOneHost"/> is set.</remarks>
    public int MaxEjectionPercent { get; set; } = OutlierDetectionConstants.DefaultMaxEjectionPercent;

    /// <summary>Gets or sets a value indicating whether one endpoint may be ejected when none is, even beyond <see cref="MaxEjectionPercent"/>.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool AlwaysEjectOneHost { get; set; }

    /// <summary>Gets or sets how many endpoints must each have <see cref="SuccessRateRequestVolume"/> requests in an interval for the success-rate detector to run.</summary>
    /// <value>The default value is 5. At least 1.</value>
    public int SuccessRateMinimumHosts { get; set; } = OutlierDetectionConstants.DefaultSuccessRateMinimumHosts;

    /// <summary>Gets or sets the requests an endpoint needs in an interval to take part in the success-rate detector.</summary>
    /// <value>The default value is 100. At least 1.</value>
    public int SuccessRateRequestVolume { get; set; } = OutlierDetectionConstants.DefaultSuccessRateRequestVolume;

    /// <summary>Gets or sets the factor of the success-rate detector: an endpoint is an outlier when its success rate is below <c>mean − factor × standard deviation</c> of the qualifying endpoints.</summary>
    /// <value>The default value is 1.9 (Envoy's <c>success_rate_stdev_factor</c> 1900, in thousandths). From 0 to 100.</value>
    public double SuccessRateStdevFactor { get; set; } = OutlierDetectionConstants.DefaultSuccessRateStdevFactor;

    /// <summary>Gets or sets the chance, in percent, that an outlier found by the success-rate detector is actually ejected.</summary>
    /// <value>The default value is 100. From 0 (off) to 100.</value>
    public int EnforcingSuccessRate { get; set; } = OutlierDetectionConstants.DefaultEnforcingSuccessRate;

    /// <summary>Gets or sets the failure percentage at or above which an endpoint is an outlier for the failure-percentage detector.</summary>
    /// <value>The default value is 85. From 0 to 100.</value>
    public int FailurePercentageThreshold { get; set; } = OutlierDetectionConstants.DefaultFailurePercentageThreshold;

    /// <summary>Gets or sets the chance, in percent, that an outlier found by the failure-percentage detector is actually ejected.</summary>
    /// <value>The default value is 0: the failure-percentage detector is off, as in Envoy.</value>
    public int EnforcingFailurePercentage { get; set; } = OutlierDetectionConstants.DefaultEnforcingFailurePercentage;

    /// <summary>Gets or sets how many endpoints must each have <see cref="FailurePercentageRequestVolume"/> requests in an interval for the failure-percentage detector to run.</summary>
    /// <value>The default value is 5. At least 1.</value>
    public int FailurePercentageMinimumHosts { get; set; } = OutlierDetectionConstants.DefaultFailurePercentageMinimumHosts;

    /// <summary>Gets or sets the requests an endpoint needs in an interval to take part in the failure-percentage detector.</summary>
    /// <value>The default value is 50. At least 1.</value>
    public int FailurePercentageRequestVolume { get; set; } = OutlierDetectionConstants.DefaultFailurePercentageRequestVolume;

    /// <summary>Gets or sets the panic threshold, in percent: when fewer of the endpoints than this are healthy (not ejected), the balancer ignores health and spreads requests over all of them.</summary>
    /// <value>The default value is 50, as in Envoy. 0 turns panic mode off, as Istio's default <c>minHealthPercent: 0</c> does. From 0 to 100.</value>
    /// <remarks>The comparison is strict: with 4 endpoints and 50 %, 2 healthy endpoints are enough, 1 is panic.</remarks>
    public int HealthyPanicThreshold { get; set; } = OutlierDetectionConstants.DefaultHealthyPanicThreshold;
}
