using Resilience;

namespace CascadeDemo;

/// <summary>How one request to Order (A) ended, as the load generator saw it.</summary>
internal enum RequestOutcome
{
    /// <summary>A full answer: the whole chain A → B → C → D answered.</summary>
    Success,

    /// <summary>A degraded answer: Order answered from its fallback because the chain could not.</summary>
    Fallback,

    /// <summary>An error status, a transport error, or no answer before the run ended.</summary>
    Error,
}

/// <summary>One request to Order (A).</summary>
/// <param name="StartSeconds">When the request was due, in seconds since the run started (it is sent then, or as soon after as a busy generator can).</param>
/// <param name="LatencyMs">How long it took, in milliseconds; for a request still unanswered at the end of the run, the time it had waited so far.</param>
/// <param name="Outcome">How it ended.</param>
internal sealed record RequestSample(double StartSeconds, double LatencyMs, RequestOutcome Outcome);

/// <summary>The number of requests to Order (A) in flight at one moment.</summary>
/// <param name="AtSeconds">The moment, in seconds since the run started.</param>
/// <param name="InFlight">Requests sent and not yet answered.</param>
internal sealed record InFlightSample(double AtSeconds, int InFlight);

/// <summary>A state change of the circuit breaker on Inventory's (B's) client to Pricing (C).</summary>
/// <param name="AtSeconds">When it changed, in seconds since the run started.</param>
/// <param name="State">The state entered.</param>
internal sealed record BreakerTransition(double AtSeconds, CircuitBreakerState State);

/// <summary>One phase of the run, during which Warehouse (D) behaves one way.</summary>
/// <param name="Name">A short name, such as <c>D down</c>.</param>
/// <param name="Description">What Warehouse does in this phase, such as <c>every request hangs</c>.</param>
/// <param name="StartSeconds">When the phase began, in seconds since the run started.</param>
/// <param name="EndSeconds">When it ended.</param>
internal sealed record PhaseWindow(string Name, string Description, double StartSeconds, double EndSeconds);

/// <summary>The requests one instance of a service received, as the instance counted them.</summary>
/// <param name="Service">The service, such as <c>Warehouse (D)</c>.</param>
/// <param name="Name">The instance, such as <c>D1</c> or <c>C v2</c>.</param>
/// <param name="Address">Its address (scheme, host and port), as a client's endpoint names it.</param>
/// <param name="Arrivals">When each request arrived, in seconds since the run started, in order.</param>
internal sealed record EndpointTraffic(string Service, string Name, string Address, IReadOnlyList<double> Arrivals);

/// <summary>A span during which a client's outlier detection kept one instance out of load balancing.</summary>
/// <param name="Endpoint">The instance's name, such as <c>D1</c>.</param>
/// <param name="StartSeconds">When it was ejected.</param>
/// <param name="EndSeconds">When it returned, or the end of the run if it had not.</param>
/// <param name="Reason">The detector that ejected it, such as <c>consecutive_5xx</c>.</param>
/// <param name="Client">Whose client ejected it, such as <c>C v1</c>: each instance's client has its own outlier detection.</param>
internal sealed record EjectionInterval(string Endpoint, double StartSeconds, double EndSeconds, string Reason, string Client = "");

/// <summary>What one chain (resilient or plain) did during the run.</summary>
/// <param name="Name">The chain's name: <c>resilient</c> or <c>plain</c>.</param>
/// <param name="Requests">Every request sent to its Order (A), in the order sent.</param>
/// <param name="InFlight">Requests in flight, sampled at a fixed interval.</param>
/// <param name="BreakerTimeline">The state changes of B's breaker, starting with its state when the run started; empty for the plain chain.</param>
/// <param name="Endpoints">The traffic of each instance of Pricing (C) and Warehouse (D); <see langword="null"/> for none.</param>
/// <param name="Ejections">The ejections by the chain's clients' outlier detection; <see langword="null"/> for none.</param>
internal sealed record ChainRun(
    string Name,
    IReadOnlyList<RequestSample> Requests,
    IReadOnlyList<InFlightSample> InFlight,
    IReadOnlyList<BreakerTransition> BreakerTimeline,
    IReadOnlyList<EndpointTraffic>? Endpoints = null,
    IReadOnlyList<EjectionInterval>? Ejections = null)
{
    /// <summary>Gets the traffic of each instance of Pricing (C) and Warehouse (D), in the order the chain started them.</summary>
    public IReadOnlyList<EndpointTraffic> EndpointTraffic => Endpoints ?? [];

    /// <summary>Gets the ejections, in the order they started.</summary>
    public IReadOnlyList<EjectionInterval> EjectionIntervals => Ejections ?? [];
}

/// <summary>A whole run of the demo: the phases and both chains, driven by the same load.</summary>
/// <param name="StartedAt">When the run started.</param>
/// <param name="RequestsPerSecond">The load sent to each chain.</param>
/// <param name="AttemptTimeout">The per-attempt time limit of the resilient chain's clients.</param>
/// <param name="Phases">The phases, in order, back to back.</param>
/// <param name="Resilient">The chain whose services use <c>AddResilientHttpClient</c>.</param>
/// <param name="Plain">The chain whose services use a plain <see cref="HttpClient"/>.</param>
/// <param name="MutualTls">With <c>--mtls</c>, what the direct calls to Pricing (C) got; <see langword="null"/> without.</param>
/// <param name="PoolSamples">The process's thread pool, sampled with the requests in flight; none when not sampled.</param>
internal sealed record DemoRun(
    DateTimeOffset StartedAt,
    double RequestsPerSecond,
    TimeSpan AttemptTimeout,
    IReadOnlyList<PhaseWindow> Phases,
    ChainRun Resilient,
    ChainRun Plain,
    MutualTlsCheck? MutualTls = null,
    IReadOnlyList<ThreadPoolSample>? PoolSamples = null);

/// <summary>
/// The thread pool of the process that hosts every service of the demo, at one moment: a diagnosis for a run whose
/// time limits fired late (their timers' callbacks run on the pool).
/// </summary>
/// <param name="AtSeconds">The moment, in seconds since the run started.</param>
/// <param name="Threads">The pool's threads.</param>
/// <param name="Pending">The work items queued and not yet started.</param>
internal sealed record ThreadPoolSample(double AtSeconds, int Threads, long Pending);

/// <summary>
/// With <c>--mtls</c>, the status codes of two direct calls to Pricing (C), whose policy accepts only Inventory (B):
/// one with Order's (A's) identity, which must be refused with 403, and one with Inventory's, which must pass.
/// </summary>
/// <param name="OrderStatus">The status Order's identity got; 0 for no answer.</param>
/// <param name="InventoryStatus">The status Inventory's identity got; 0 for no answer.</param>
internal sealed record MutualTlsCheck(int OrderStatus, int InventoryStatus)
{
    /// <summary>Gets whether Pricing refused Order with 403 and let Inventory through.</summary>
    public bool AsExpected => OrderStatus == 403 && InventoryStatus is >= 200 and < 300;

    /// <summary>Gets the report's line about the direct call from Order's identity (under 100 columns).</summary>
    public string Line => OrderStatus == 403
        ? "Order (A) -> Pricing (C) directly, with Order's identity: refused with 403 Forbidden."
        : $"Order (A) -> Pricing (C) directly, with Order's identity: NOT refused with 403, got {Status(OrderStatus)}.";

    /// <summary>Gets the line that explains it (under 100 columns).</summary>
    public string Detail => $"Pricing's policy accepts only Inventory (B); Inventory's identity got {Status(InventoryStatus)}.";

    private static string Status(int status) => status == 0 ? "no answer" : status.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
