using Resilience.Routing.Internal;

namespace Resilience.Routing;

/// <summary>
/// The retry budget of a destination service: retries in flight may be at most <see cref="BudgetPercent"/> of the
/// requests, and never fewer than <see cref="MinRetryConcurrency"/> (Envoy's <c>retry_budget</c>, Istio's
/// <c>trafficPolicy.retryBudget</c>). Bound from configuration such as <c>Routing:RetryBudget</c> and validated at start.
/// </summary>
/// <remarks>
/// A retry is allowed while <c>retries in flight &lt; max(MinRetryConcurrency, ⌊BudgetPercent / 100 × requests⌋)</c>,
/// where requests are those in flight (<see cref="Interval"/> 0) or those started in the last <see cref="Interval"/>.
/// With the defaults: 5 retries at once for 25 requests in flight, and still 3 for 2 requests. A refused retry ends
/// the request with a <see cref="RetryBudgetExhaustedException"/>, counted with the outcome
/// <c>retry_budget_exhausted</c>.
/// </remarks>
public sealed class RetryBudgetOptions
{
    /// <summary>Gets or sets the largest share of the requests, in percent, that retries in flight may make up.</summary>
    /// <value>The default value is 20. From 0 to 100.</value>
    public double BudgetPercent { get; set; } = RetryBudgetConstants.DefaultBudgetPercent;

    /// <summary>Gets or sets how many retries may always be in flight at once, whatever the percentage allows.</summary>
    /// <value>The default value is 3. At least 0.</value>
    public int MinRetryConcurrency { get; set; } = RetryBudgetConstants.DefaultMinRetryConcurrency;

    /// <summary>Gets or sets the window over which requests are counted (Istio's <c>budget_interval</c>).</summary>
    /// <value>The default value is 0: the budget is a share of the requests in flight. Otherwise a share of the
    /// requests started in the last interval (counted in 10 slots, so the window slides by a tenth), at most an hour.</value>
    public TimeSpan Interval { get; set; } = RetryBudgetConstants.DefaultInterval;
}
