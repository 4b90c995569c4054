namespace Resilience;

/// <summary>A thread-safe registry of named <see cref="CircuitBreaker"/> instances sharing one <see cref="TimeProvider"/>.</summary>
/// <example>
/// <code>
/// var registry = new CircuitBreakerRegistry(new CircuitBreakerOptions { FailureRateThreshold = 25 });
/// registry.AddConfiguration("slow-backends", new CircuitBreakerOptions { SlowCallDurationThreshold = TimeSpan.FromSeconds(2) });
/// CircuitBreaker inventory = registry.GetOrCreate("inventory");
/// CircuitBreaker pricing = registry.GetOrCreate("pricing", "slow-backends");
/// </code>
/// </example>
public sealed class CircuitBreakerRegistry : ResilienceRegistry<CircuitBreaker, CircuitBreakerOptions>
{
    private readonly TimeProvider _timeProvider;

    /// <summary>Initializes a new instance of the <see cref="CircuitBreakerRegistry"/> class.</summary>
    /// <param name="defaultOptions">The default options, validated now; <see langword="null"/> for the library defaults.</param>
    /// <param name="timeProvider">The source of time for every breaker; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    public CircuitBreakerRegistry(CircuitBreakerOptions? defaultOptions = null, TimeProvider? timeProvider = null)
        : base(defaultOptions ?? new CircuitBreakerOptions())
    {
        ValidateOptions(DefaultOptions);
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc/>
    protected override CircuitBreaker CreateInstance(string name, CircuitBreakerOptions options) => new(name, options, _timeProvider);

    /// <inheritdoc/>
    protected override CircuitBreakerOptions CloneOptions(CircuitBreakerOptions options) => options.Clone();

    /// <inheritdoc/>
    protected override void ValidateOptions(CircuitBreakerOptions options) => CircuitBreakerOptionsValidator.Validate(options);
}
