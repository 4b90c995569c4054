namespace Resilience.Routing.Internal;

/// <summary>
/// Envoy's outlier-detection defaults (<c>envoy.config.cluster.v3.OutlierDetection</c>) and the panic threshold of
/// <c>CommonLbConfig</c>, referenced by the options, their validation, the docs and the tests.
/// </summary>
internal static class OutlierDetectionConstants
{
    public const int DefaultConsecutive5xx = 5;
    public const int DefaultEnforcingConsecutive5xx = 100;
    public const int DefaultConsecutiveGatewayFailure = 5;
    public const int DefaultEnforcingConsecutiveGatewayFailure = 0;
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan DefaultBaseEjectionTime = TimeSpan.FromSeconds(30);

    /// <summary>The maximum ejection time when none is set; the base ejection time is used instead when it is larger.</summary>
    public static readonly TimeSpan DefaultMaxEjectionTime = TimeSpan.FromSeconds(300);
    public const int DefaultMaxEjectionPercent = 10;
    public const int DefaultSuccessRateMinimumHosts = 5;
    public const int DefaultSuccessRateRequestVolume = 100;
    public const double DefaultSuccessRateStdevFactor = 1.9;
    public const int DefaultEnforcingSuccessRate = 100;
    public const int DefaultFailurePercentageThreshold = 85;
    public const int DefaultEnforcingFailurePercentage = 0;
    public const int DefaultFailurePercentageMinimumHosts = 5;
    public const int DefaultFailurePercentageRequestVolume = 50;
    public const int DefaultHealthyPanicThreshold = 50;

    /// <summary>The longest interval or ejection time accepted: one day, far beyond any useful value, and safe from overflow when multiplied.</summary>
    public static readonly TimeSpan MaximumDuration = TimeSpan.FromDays(1);

    /// <summary>The largest success-rate standard-deviation factor accepted (Envoy's field is an integer of thousandths).</summary>
    public const double MaximumStdevFactor = 100;

    public const string Consecutive5xxReason = "consecutive_5xx";
    public const string ConsecutiveGatewayFailureReason = "consecutive_gateway_failure";
    public const string SuccessRateReason = "success_rate";
    public const string FailurePercentageReason = "failure_percentage";
}
