namespace Resilience;

/// <summary>A thread-safe registry of named <see cref="ThreadPoolBulkhead"/> instances sharing one <see cref="TimeProvider"/>.</summary>
/// <remarks>
/// The registry owns the instances it holds: <see cref="Dispose"/> disposes them, and afterwards creating an instance
/// throws <see cref="ObjectDisposedException"/>. An instance taken out with <c>TryRemove</c> or replaced with
/// <c>TryReplace</c> is <b>not</b> disposed: it is handed back to the caller, who may still be using it and now owns it.
/// </remarks>
/// <example>
/// <code>
/// using var registry = new ThreadPoolBulkheadRegistry(new ThreadPoolBulkheadOptions { MaxThreadPoolSize = 4, CoreThreadPoolSize = 2 });
/// ThreadPoolBulkhead reports = registry.GetOrCreate("reports");
/// </code>
/// </example>
public sealed class ThreadPoolBulkheadRegistry : ResilienceRegistry<ThreadPoolBulkhead, ThreadPoolBulkheadOptions>, IDisposable
{
    private readonly TimeProvider _timeProvider;
    private volatile bool _disposed;

    /// <summary>Initializes a new instance of the <see cref="ThreadPoolBulkheadRegistry"/> class.</summary>
    /// <param name="defaultOptions">The default options, validated now; <see langword="null"/> for the library defaults.</param>
    /// <param name="timeProvider">The source of time for every bulkhead; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    public ThreadPoolBulkheadRegistry(ThreadPoolBulkheadOptions? defaultOptions = null, TimeProvider? timeProvider = null)
        : base(defaultOptions ?? new ThreadPoolBulkheadOptions())
    {
        ValidateOptions(DefaultOptions);
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Disposes every bulkhead the registry holds (each waits for its own threads) and refuses to create more.</summary>
    public void Dispose()
    {
        _disposed = true;
        foreach (ThreadPoolBulkhead bulkhead in GetAll())
        {
            bulkhead.Dispose();
        }
    }

    /// <inheritdoc/>
    protected override ThreadPoolBulkhead CreateInstance(string name, ThreadPoolBulkheadOptions options)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new(name, options, _timeProvider);
    }

    /// <inheritdoc/>
    protected override ThreadPoolBulkheadOptions CloneOptions(ThreadPoolBulkheadOptions options) => options.Clone();

    /// <inheritdoc/>
    protected override void ValidateOptions(ThreadPoolBulkheadOptions options) => ThreadPoolBulkheadOptionsValidator.Validate(options);
}
