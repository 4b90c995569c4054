using Microsoft.Extensions.Diagnostics.HealthChecks;
using Resilience.Http.Internal;

namespace Resilience.Http.Telemetry;

/// <summary>
/// Reports every circuit breaker of the HTTP clients: closed, disabled and metrics-only are healthy, half-open is
/// <c>halfOpenStatus</c>, open and forced-open are <c>openStatus</c>; the result is the worst of them. Its data maps
/// each breaker's name, which is its name in the <see cref="CircuitBreakerRegistry"/> (<c>{client}</c> for the standard
/// composition, <c>{client}/{instance}</c> for a breaker added on its own, then <c>/{scheme}://{host}:{port}</c> for a
/// per-authority breaker), to the state and the rates of that breaker.
/// </summary>
internal sealed class CircuitBreakerHealthCheck(HttpResilienceRegistry registry, HealthStatus openStatus, HealthStatus halfOpenStatus) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        HealthStatus worst = HealthStatus.Healthy;
        int count = 0;
        var unhealthy = new List<string>();
        foreach (RegisteredSlot slot in registry.Slots)
        {
            if (slot.Slot is not ReloadableSlot<HttpCircuitBreakerOptions, BreakerSet> breakers)
            {
                continue;
            }

            foreach (CircuitBreaker breaker in breakers.Current.Breakers)
            {
                CircuitBreakerState state = breaker.State;
                CircuitBreakerMetrics metrics = breaker.GetMetrics();
                string key = breaker.Name;
                data[key] = new Dictionary<string, object>(StringComparer.Ordinal)
                {
                    ["state"] = HttpResilienceTelemetry.StateName(state),
                    ["failureRate"] = metrics.FailureRate,
                    ["slowCallRate"] = metrics.SlowCallRate,
                    ["bufferedCalls"] = metrics.NumberOfBufferedCalls,
                };
                count++;

                HealthStatus status = state switch
                {
                    CircuitBreakerState.Open or CircuitBreakerState.ForcedOpen => openStatus,
                    CircuitBreakerState.HalfOpen => halfOpenStatus,
                    _ => HealthStatus.Healthy,
                };
                if (status != HealthStatus.Healthy)
                {
                    unhealthy.Add($"{key} is {HttpResilienceTelemetry.StateName(state)}");
                }

                if (status < worst)
                {
                    worst = status; // Unhealthy = 0 < Degraded = 1 < Healthy = 2
                }
            }
        }

        string description = unhealthy.Count == 0
            ? $"{count} circuit breaker(s), none open."
            : $"{count} circuit breaker(s): {string.Join(", ", unhealthy)}.";
        return Task.FromResult(new HealthCheckResult(worst, description, data: data));
    }
}
