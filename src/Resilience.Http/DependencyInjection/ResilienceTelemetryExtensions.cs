using Microsoft.Extensions.Diagnostics.HealthChecks;
using Resilience;
using Resilience.Http;
using Resilience.Http.DependencyInjection;
using Resilience.Http.Internal;
using Resilience.Http.Telemetry;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the telemetry and the health check of Resilience.</summary>
/// <remarks>
/// Metrics, logs and trace events of the HTTP clients need no registration: they go to the <c>IMeterFactory</c> and
/// <c>ILoggerFactory</c> of the container (see <see cref="ResilienceTelemetry"/> for the names).
/// </remarks>
public static class ResilienceTelemetryExtensions
{
    /// <summary>
    /// Configures what the Resilience meter observes besides the HTTP clients, such as thread-pool bulkheads. The
    /// <see cref="ThreadPoolBulkheadRegistry"/> that <c>AddResilience</c> registers is observed without being added.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the telemetry.</param>
    /// <returns>The services.</returns>
    /// <remarks>
    /// The instruments are created with the first resilient HTTP client or circuit-breaker health check the container
    /// builds; an application with neither reports no thread-pool gauges.
    /// </remarks>
    public static IServiceCollection AddResilienceTelemetry(this IServiceCollection services, Action<ResilienceTelemetryOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        HttpResilienceServices.AddCore(services);
        services.Configure(configure);
        return services;
    }

    /// <summary>
    /// Adds a health check that reports every circuit breaker of the HTTP clients. The result is the worst state:
    /// closed, disabled and metrics-only are <see cref="HealthStatus.Healthy"/>, half-open is
    /// <paramref name="halfOpenStatus"/>, open and forced-open are <paramref name="openStatus"/>. The data maps each
    /// breaker's name in the <see cref="Resilience.CircuitBreakerRegistry"/> (<c>{client}</c> for the standard composition,
    /// <c>{client}/{instance}</c> for a breaker added on its own, followed by <c>/{scheme}://{host}:{port}</c> for a
    /// per-authority breaker) to the breaker's state, failure rate, slow-call rate and buffered calls.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The name of the health check.</param>
    /// <param name="openStatus">The status of an open or forced-open breaker.</param>
    /// <param name="halfOpenStatus">The status of a half-open breaker.</param>
    /// <param name="tags">Tags to filter health checks by.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddCircuitBreakers(
        this IHealthChecksBuilder builder,
        string name = "circuit-breakers",
        HealthStatus openStatus = HealthStatus.Unhealthy,
        HealthStatus halfOpenStatus = HealthStatus.Degraded,
        IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        HttpResilienceServices.AddCore(builder.Services);
        return builder.Add(new HealthCheckRegistration(
            name,
            sp => new CircuitBreakerHealthCheck(sp.GetRequiredService<HttpResilienceRegistry>(), openStatus, halfOpenStatus),
            failureStatus: openStatus,
            tags));
    }
}
