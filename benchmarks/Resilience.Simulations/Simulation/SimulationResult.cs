namespace Resilience.Simulations.Simulation;

/// <summary>What one simulated run measured, client-side: every request that arrived, each with all its attempts.</summary>
/// <param name="Requests">The client requests.</param>
/// <param name="FailedRequests">Requests whose last attempt failed (503, deadline, or a retry the budget refused).</param>
/// <param name="Attempts">Attempts sent, retries included.</param>
/// <param name="AttemptsToOdd">Attempts sent to the odd endpoint.</param>
/// <param name="P50">The median client latency (arrival to final answer, retries included).</param>
/// <param name="P99">The 99th percentile client latency.</param>
/// <param name="Ejections">How many times outlier detection ejected an endpoint.</param>
/// <param name="RefusedRetries">Retries the retry budget refused (their requests failed).</param>
public sealed record SimulationResult(int Requests, int FailedRequests, long Attempts, long AttemptsToOdd, TimeSpan P50, TimeSpan P99, int Ejections, int RefusedRetries)
{
    /// <summary>Gets the share of client requests that failed.</summary>
    public double FailedShare => Requests == 0 ? 0 : (double)FailedRequests / Requests;

    /// <summary>Gets the share of attempts that reached the odd endpoint.</summary>
    public double OddShare => Attempts == 0 ? 0 : (double)AttemptsToOdd / Attempts;

    /// <summary>Gets the attempts per client request.</summary>
    public double AttemptsPerRequest => Requests == 0 ? 0 : (double)Attempts / Requests;
}
