namespace Resilience;

/// <summary>A thread-safe registry of named <see cref="Retry"/> instances sharing one <see cref="TimeProvider"/>.</summary>
/// <example>
/// <code>
/// var registry = new RetryRegistry(new RetryOptions { MaxAttempts = 4 });
/// registry.AddConfiguration("backoff", new RetryOptions { BackoffType = RetryBackoffType.ExponentialRandom });
/// Retry inventory = registry.GetOrCreate("inventory");
/// Retry pricing = registry.GetOrCreate("pricing", "backoff");
/// </code>
/// </example>
public sealed class RetryRegistry : ResilienceRegistry<Retry, RetryOptions>
{
    private readonly TimeProvider _timeProvider;

    /// <summary>Initializes a new instance of the <see cref="RetryRegistry"/> class.</summary>
    /// <param name="defaultOptions">The default options, validated now; <see langword="null"/> for the library defaults.</param>
    /// <param name="timeProvider">The source of time for every retry; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    public RetryRegistry(RetryOptions? defaultOptions = null, TimeProvider? timeProvider = null)
        : base(defaultOptions ?? new RetryOptions())
    {
        ValidateOptions(DefaultOptions);
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc/>
    protected override Retry CreateInstance(string name, RetryOptions options) => new(name, options, _timeProvider);

    /// <inheritdoc/>
    protected override RetryOptions CloneOptions(RetryOptions options) => options.Clone();

    /// <inheritdoc/>
    protected override void ValidateOptions(RetryOptions options) => RetryOptionsValidator.Validate(options);
}
