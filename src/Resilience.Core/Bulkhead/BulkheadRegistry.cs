namespace Resilience;

/// <summary>A thread-safe registry of named <see cref="Bulkhead"/> instances sharing one <see cref="TimeProvider"/>.</summary>
/// <example>
/// <code>
/// var registry = new BulkheadRegistry(new BulkheadOptions { MaxConcurrentCalls = 10 });
/// registry.AddConfiguration("patient", new BulkheadOptions { MaxWaitDuration = TimeSpan.FromMilliseconds(500) });
/// Bulkhead inventory = registry.GetOrCreate("inventory");
/// Bulkhead pricing = registry.GetOrCreate("pricing", "patient");
/// </code>
/// </example>
public sealed class BulkheadRegistry : ResilienceRegistry<Bulkhead, BulkheadOptions>
{
    private readonly TimeProvider _timeProvider;

    /// <summary>Initializes a new instance of the <see cref="BulkheadRegistry"/> class.</summary>
    /// <param name="defaultOptions">The default options, validated now; <see langword="null"/> for the library defaults.</param>
    /// <param name="timeProvider">The source of time for every bulkhead; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    public BulkheadRegistry(BulkheadOptions? defaultOptions = null, TimeProvider? timeProvider = null)
        : base(defaultOptions ?? new BulkheadOptions())
    {
        ValidateOptions(DefaultOptions);
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc/>
    protected override Bulkhead CreateInstance(string name, BulkheadOptions options) => new(name, options, _timeProvider);

    /// <inheritdoc/>
    protected override BulkheadOptions CloneOptions(BulkheadOptions options) => options.Clone();

    /// <inheritdoc/>
    protected override void ValidateOptions(BulkheadOptions options) => BulkheadOptionsValidator.Validate(options);
}
