namespace Resilience;

/// <summary>A thread-safe registry of named <see cref="RequestRateLimiter"/> instances sharing one <see cref="TimeProvider"/>.</summary>
/// <example>
/// <code>
/// var registry = new RequestRateLimiterRegistry(new RequestRateLimiterOptions { LimitForPeriod = 100, LimitRefreshPeriod = TimeSpan.FromSeconds(1) });
/// registry.AddConfiguration("partner-api", new RequestRateLimiterOptions { LimitForPeriod = 10, TimeoutDuration = TimeSpan.Zero });
/// RequestRateLimiter search = registry.GetOrCreate("search");
/// RequestRateLimiter partner = registry.GetOrCreate("partner", "partner-api");
/// </code>
/// </example>
public sealed class RequestRateLimiterRegistry : ResilienceRegistry<RequestRateLimiter, RequestRateLimiterOptions>
{
    private readonly TimeProvider _timeProvider;

    /// <summary>Initializes a new instance of the <see cref="RequestRateLimiterRegistry"/> class.</summary>
    /// <param name="defaultOptions">The default options, validated now; <see langword="null"/> for the library defaults.</param>
    /// <param name="timeProvider">The source of time for every limiter; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    public RequestRateLimiterRegistry(RequestRateLimiterOptions? defaultOptions = null, TimeProvider? timeProvider = null)
        : base(defaultOptions ?? new RequestRateLimiterOptions())
    {
        ValidateOptions(DefaultOptions);
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc/>
    protected override RequestRateLimiter CreateInstance(string name, RequestRateLimiterOptions options) => new(name, options, _timeProvider);

    /// <inheritdoc/>
    protected override RequestRateLimiterOptions CloneOptions(RequestRateLimiterOptions options) => options.Clone();

    /// <inheritdoc/>
    protected override void ValidateOptions(RequestRateLimiterOptions options) => RequestRateLimiterOptionsValidator.Validate(options);
}
