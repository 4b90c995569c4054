using System.Globalization;

namespace Resilience;

/// <summary>The exception thrown when a <see cref="CircuitBreaker"/> does not permit a call.</summary>
public sealed class CallNotPermittedException : ResilienceRejectedException
{
    /// <summary>Initializes a new instance of the <see cref="CallNotPermittedException"/> class.</summary>
    /// <param name="circuitBreakerName">The name of the breaker.</param>
    /// <param name="state">The state the breaker was in when it refused the call.</param>
    /// <param name="retryAfter">How long until calls are permitted again, when that is known.</param>
    public CallNotPermittedException(string circuitBreakerName, CircuitBreakerState state, TimeSpan? retryAfter)
        : base(circuitBreakerName, CreateMessage(circuitBreakerName, state, retryAfter))
    {
        State = state;
        RetryAfter = retryAfter;
    }

    /// <summary>Gets the name of the breaker that refused the call.</summary>
    public string CircuitBreakerName => InstanceName;

    /// <summary>Gets the state the breaker was in when it refused the call.</summary>
    public CircuitBreakerState State { get; }

    /// <summary>Gets how long until the breaker permits calls again, or <see langword="null"/> when that is not known (half-open and forced-open).</summary>
    public TimeSpan? RetryAfter { get; }

    private static string CreateMessage(string name, CircuitBreakerState state, TimeSpan? retryAfter) => retryAfter is { } wait
        ? string.Create(CultureInfo.InvariantCulture, $"Circuit breaker '{name}' is {state} and does not permit further calls; it permits trial calls again in {wait.TotalSeconds:0.###} s.")
        : string.Create(CultureInfo.InvariantCulture, $"Circuit breaker '{name}' is {state} and does not permit further calls.");
}
