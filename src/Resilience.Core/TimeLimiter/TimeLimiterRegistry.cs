namespace Resilience;

/// <summary>A thread-safe registry of named <see cref="TimeLimiter"/> instances sharing one <see cref="TimeProvider"/>.</summary>
/// <example>
/// <code>
/// var registry = new TimeLimiterRegistry(new TimeLimiterOptions { TimeoutDuration = TimeSpan.FromSeconds(2) });
/// registry.AddConfiguration("fast", new TimeLimiterOptions { TimeoutDuration = TimeSpan.FromMilliseconds(200) });
/// TimeLimiter inventory = registry.GetOrCreate("inventory");
/// TimeLimiter pricing = registry.GetOrCreate("pricing", "fast");
/// </code>
/// </example>
public sealed class TimeLimiterRegistry : ResilienceRegistry<TimeLimiter, TimeLimiterOptions>
{
    private readonly TimeProvider _timeProvider;

    /// <summary>Initializes a new instance of the <see cref="TimeLimiterRegistry"/> class.</summary>
    /// <param name="defaultOptions">The default options, validated now; <see langword="null"/> for the library defaults.</param>
    /// <param name="timeProvider">The source of time for every time limiter; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    public TimeLimiterRegistry(TimeLimiterOptions? defaultOptions = null, TimeProvider? timeProvider = null)
        : base(defaultOptions ?? new TimeLimiterOptions())
    {
        ValidateOptions(DefaultOptions);
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc/>
    protected override TimeLimiter CreateInstance(string name, TimeLimiterOptions options) => new(name, options, _timeProvider);

    /// <inheritdoc/>
    protected override TimeLimiterOptions CloneOptions(TimeLimiterOptions options) => options.Clone();

    /// <inheritdoc/>
    protected override void ValidateOptions(TimeLimiterOptions options) => TimeLimiterOptionsValidator.Validate(options);
}
