namespace Resilience.Http.Internal;

/// <summary>
/// Holds the current primitive built from named options, and rebuilds it when the options change. Handlers read
/// <see cref="Current"/> once per request: one volatile read.
/// </summary>
/// <typeparam name="TOptions">The options type.</typeparam>
/// <typeparam name="TValue">What is built from them.</typeparam>
/// <remarks>
/// A rebuild may reuse the previous value (the builder receives it), which is how a breaker keeps its state when
/// its options did not change. A rebuild that fails (invalid options after a reload) keeps the previous value and
/// reports the error; a running application never loses its breakers to a typo. Options read as
/// <see langword="null"/> (a layer removed from the standard composition) keep the current value until
/// <c>IHttpClientFactory</c> builds new handlers. Rebuilds are serialized by a lock
/// on the reload path only.
/// </remarks>
internal sealed class ReloadableSlot<TOptions, TValue> : IDisposable
    where TOptions : class
    where TValue : class
{
    private readonly Lock _gate = new();
    private readonly Func<TOptions?> _read;
    private readonly Func<TOptions, TValue?, TValue> _build;
    private readonly Action<Exception>? _onReloadError;
    private readonly IDisposable? _subscription;
    private TValue _current;

    public ReloadableSlot(Func<TOptions?> read, Func<Action, IDisposable?> subscribe, Func<TOptions, TValue?, TValue> build, Action<Exception>? onReloadError)
    {
        _read = read;
        _build = build;
        _onReloadError = onReloadError;
        _current = build(read() ?? throw new InvalidOperationException($"No {typeof(TOptions).Name} are configured for this handler."), null);
        _subscription = subscribe(Reload);
    }

    /// <summary>Gets the value built from the current options.</summary>
    public TValue Current => Volatile.Read(ref _current);

    /// <summary>Rebuilds from the current options.</summary>
    public void Reload()
    {
        lock (_gate)
        {
            try
            {
                // A layer removed from a composition by a reload stays until the handlers are rebuilt.
                if (_read() is { } options)
                {
                    Volatile.Write(ref _current, _build(options, _current));
                }
            }
#pragma warning disable CA1031 // A bad reload must not take down the application; it is reported and the last good value is kept.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _onReloadError?.Invoke(ex);
            }
        }
    }

    public void Dispose() => _subscription?.Dispose();
}
