using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Resilience.DependencyInjection;

/// <summary>
/// The options of one name as of the last change that passed validation, for code that reads them per call: reading
/// <see cref="CurrentValue"/> is one volatile read, and never throws.
/// </summary>
/// <typeparam name="TOptions">The options type.</typeparam>
/// <remarks>
/// Obtained from <see cref="LastGoodOptions.Follow{TOptions}"/>, which reads and validates every change once, on the
/// thread that reloads the configuration. A valid change replaces <see cref="CurrentValue"/> and then calls the
/// listeners of <see cref="OnChange"/>; a rejected one keeps <see cref="CurrentValue"/>, calls no one, and is logged
/// and counted.
/// </remarks>
public sealed class LastGoodOptionsMonitor<TOptions> : IFollower
    where TOptions : class
{
    private readonly Lock _gate = new();
    private readonly IOptionsMonitor<TOptions> _monitor;
    private readonly IOptionsMonitorCache<TOptions> _cache;
    private readonly RejectedReloads _rejections;
    private readonly Action<TOptions> _accepted;
    private readonly List<IDisposable> _subscriptions = [];
    private Action<TOptions>[] _listeners = [];
    private TOptions _current;

    internal LastGoodOptionsMonitor(string name, TOptions initial, IOptionsMonitor<TOptions> monitor, IOptionsMonitorCache<TOptions> cache, RejectedReloads rejections, Action<TOptions> accepted)
    {
        Name = name;
        _current = initial;
        _monitor = monitor;
        _cache = cache;
        _rejections = rejections;
        _accepted = accepted;
    }

    /// <summary>Gets the options name.</summary>
    public string Name { get; }

    /// <summary>Gets the options in force: the last ones that passed validation.</summary>
    public TOptions CurrentValue => Volatile.Read(ref _current);

    /// <summary>Registers a listener called with the new options after each valid change.</summary>
    /// <param name="listener">The listener; it runs on the thread that reloaded the configuration.</param>
    /// <returns>Disposing it removes the listener.</returns>
    public IDisposable OnChange(Action<TOptions> listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        lock (_gate)
        {
            _listeners = [.. _listeners, listener];
        }

        return new Registration(this, listener);
    }

    /// <summary>Subscribes to the change tokens of the options' sources; called once, by <see cref="LastGoodOptions"/>.</summary>
    internal void Subscribe(IEnumerable<Func<IChangeToken?>> changes)
    {
        lock (_gate)
        {
            foreach (Func<IChangeToken?> change in changes)
            {
                _subscriptions.Add(ChangeToken.OnChange(change, Reload));
            }
        }
    }

    /// <summary>
    /// Reads the options again. The monitor's cached value is dropped first, so that the read is fresh whichever of
    /// the monitor and this follower hears the change first.
    /// </summary>
    internal void Reload()
    {
        lock (_gate)
        {
            _cache.TryRemove(Name);
            TOptions next;
            try
            {
                next = _monitor.Get(Name);
            }
#pragma warning disable CA1031 // A rejected reload must not take down the application: it is reported and the last good options stay.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _rejections.Report(typeof(TOptions), Name, ex);
                return;
            }

            Volatile.Write(ref _current, next);
            _accepted(next);
            foreach (Action<TOptions> listener in _listeners)
            {
                listener(next);
            }
        }
    }

    void IFollower.Stop()
    {
        lock (_gate)
        {
            foreach (IDisposable subscription in _subscriptions)
            {
                subscription.Dispose();
            }

            _subscriptions.Clear();
            _listeners = [];
        }
    }

    private void Remove(Action<TOptions> listener)
    {
        lock (_gate)
        {
            int index = Array.IndexOf(_listeners, listener);
            if (index >= 0)
            {
                _listeners = [.. _listeners[..index], .. _listeners[(index + 1)..]];
            }
        }
    }

    private sealed class Registration(LastGoodOptionsMonitor<TOptions> owner, Action<TOptions> listener) : IDisposable
    {
        public void Dispose() => owner.Remove(listener);
    }
}
