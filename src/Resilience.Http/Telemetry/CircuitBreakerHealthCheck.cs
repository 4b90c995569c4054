using Microsoft.Extensions.Diagnostics.HealthChecks;
using Resilience.Http.Internal;

namespace Resilience.Http.Telemetry;

/// <summary>
/// Reports every circuit breaker of the HTTP clients: closed, disabled and metrics-only are healthy, half-open is
/// <c>halfOpenStatus</c>, open and forced-open are <c>openStatus</c>; the result is the worst of them. An open breaker
/// whose wait is over would admit the next call as a trial, so it is reported as half-open ("ready to probe"): a
/// readiness probe must not keep an instance out of service, and so without traffic, because its breaker never sees
/// the call that would close it. Its data maps each breaker's name, which is its name in the
/// <see cref="CircuitBreakerRegistry"/> (<c>{client}</c> for the standard composition, <c>{client}/{instance}</c> for a
/// breaker added on its own, then <c>/{scheme}://{host}:{port}</c> for a per-authority breaker), to the state and the
/// rates of that breaker.
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
                bool readyToProbe = state == CircuitBreakerState.Open && breaker.IsCallPermitted;
                CircuitBreakerMetrics metrics = breaker.GetMetrics();
                string key = breaker.Name;
                data[key] = new Dictionary<string, object>(StringComparer.Ordinal)
                {
                    ["state"] = HttpResilienceTelemetry.StateName(state),
                    ["failureRate"] = metrics.FailureRate,
                    ["slowCallRate"] = metrics.SlowCallRate,
                    ["bufferedCalls"] = metrics.NumberOfBufferedCalls,
                    ["readyToProbe"] = readyToProbe,
                };
                count++;

                HealthStatus status = state switch
                {
                    CircuitBreakerState.Open when readyToProbe => halfOpenStatus,
                    CircuitBreakerState.Open or CircuitBreakerState.ForcedOpen => openStatus,
                    CircuitBreakerState.HalfOpen => halfOpenStatus,
                    _ => HealthStatus.Healthy,
                };
                if (status != HealthStatus.Healthy)
                {
                    unhealthy.Add(readyToProbe
                        ? $"{key} is open with its wait over (ready to probe)"
                        : $"{key} is {HttpResilienceTelemetry.StateName(state)}");
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
