namespace Resilience.Routing.Internal;

/// <summary>The retry budget's defaults (Envoy's <c>RetryBudget</c>, Istio's <c>trafficPolicy.retryBudget</c>), referenced by the options, validation, docs and tests.</summary>
internal static class RetryBudgetConstants
{
    public const double DefaultBudgetPercent = 20;
    public const int DefaultMinRetryConcurrency = 3;

    /// <summary>0: the budget counts the requests in flight, not those of a time window.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.Zero;

    /// <summary>The longest window accepted.</summary>
    public static readonly TimeSpan MaximumInterval = TimeSpan.FromHours(1);

    /// <summary>The number of slots the window is divided into (as Envoy's budget interval and tower's budget).</summary>
    public const int WindowSlots = 10;

    /// <summary>The <c>outcome</c> tag value and Activity event name of a retry the budget refused.</summary>
    public const string ExhaustedOutcome = "retry_budget_exhausted";
}
