using Microsoft.Extensions.Diagnostics.HealthChecks;
using Resilience;

namespace CascadeDemo;

/// <summary>Records the state changes of Inventory's (B's) breaker by polling its circuit-breaker health check.</summary>
/// <remarks>
/// The health check is public API and reports closed as Healthy, half-open as Degraded and open as Unhealthy. A
/// 10 ms poll can miss a state that lasts less than that; a half-open state lasts while its probe calls run, and
/// Inventory permits three of them, which at the demo's rates take tens of milliseconds.
/// </remarks>
internal sealed class BreakerMonitor
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(10);
    private readonly HealthCheckService _health;
    private readonly Func<double> _now;
    private readonly List<BreakerTransition> _timeline = [];

    /// <summary>Creates a monitor of <paramref name="health"/>; <paramref name="now"/> gives the seconds since the run started.</summary>
    public BreakerMonitor(HealthCheckService health, Func<double> now)
    {
        _health = health;
        _now = now;
    }

    /// <summary>Gets the transitions seen so far, starting with the state when monitoring started.</summary>
    public IReadOnlyList<BreakerTransition> Timeline => _timeline;

    /// <summary>Polls until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timer = new PeriodicTimer(Interval);
            do
            {
                HealthReport report = await _health.CheckHealthAsync(r => r.Name == "circuit-breakers", cancellationToken).ConfigureAwait(false);
                CircuitBreakerState state = report.Status switch
                {
                    HealthStatus.Unhealthy => CircuitBreakerState.Open,
                    HealthStatus.Degraded => CircuitBreakerState.HalfOpen,
                    _ => CircuitBreakerState.Closed,
                };
                if (_timeline.Count == 0 || _timeline[^1].State != state)
                {
                    _timeline.Add(new BreakerTransition(_timeline.Count == 0 ? 0 : _now(), state));
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The run is over.
        }
    }
}
