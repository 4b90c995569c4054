using Resilience.Routing;

namespace Resilience.Simulations.Simulation;

/// <summary>
/// One simulated run: a client sending Poisson arrivals to a service of <see cref="Endpoints"/> endpoints through the
/// routing components, in virtual time. Every endpoint serves with <see cref="Workers"/> workers and a FIFO queue; one,
/// the <i>odd</i> endpoint (index 0), may be slower or fail some of its requests.
/// </summary>
public sealed record SimulationSettings
{
    /// <summary>Gets the load-balancing policy (see <see cref="LoadBalancingPolicies"/>).</summary>
    public string Policy { get; init; } = LoadBalancingPolicies.LeastRequest;

    /// <summary>Gets the number of endpoints.</summary>
    public int Endpoints { get; init; } = 5;

    /// <summary>Gets the mean arrival rate of client requests (Poisson arrivals).</summary>
    public double RequestsPerSecond { get; init; } = 500;

    /// <summary>Gets how long requests arrive; the run then drains the requests in flight.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Gets the requests an endpoint serves at once; more wait in its FIFO queue.</summary>
    public int Workers { get; init; } = 16;

    /// <summary>Gets the mean service time of the endpoints; each request takes this × U(0.5, 1.5).</summary>
    public TimeSpan ServiceTime { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Gets the mean service time of the odd endpoint (index 0).</summary>
    public TimeSpan OddServiceTime { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Gets the share of its requests the odd endpoint answers with 503.</summary>
    public double OddFailureRate { get; init; }

    /// <summary>Gets the outlier detection, or <see langword="null"/> for none.</summary>
    public OutlierDetectionOptions? OutlierDetection { get; init; }

    /// <summary>Gets the retry budget, or <see langword="null"/> for none.</summary>
    public RetryBudgetOptions? RetryBudget { get; init; }

    /// <summary>Gets the attempts per request, the first included: more than 1 retries a failed attempt at once, on another endpoint.</summary>
    public int MaxAttempts { get; init; } = 1;

    /// <summary>
    /// Gets the deadline of one attempt inside the routing handler, or <see langword="null"/> for none: an attempt not
    /// answered by then fails with a <see cref="TimeoutException"/>, a local-origin failure the outlier detector
    /// counts as a gateway failure (504); the endpoint still works the request off.
    /// </summary>
    public TimeSpan? AttemptTimeout { get; init; }

    /// <summary>Gets the seed of every random draw: arrivals, service times, failures and the policy's choices.</summary>
    public int Seed { get; init; } = 1;
}
