using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Resilience.DependencyInjection;

/// <summary>
/// Reads named options and keeps the last ones that passed validation: after a reload brings an invalid value,
/// <see cref="IOptionsMonitor{TOptions}.Get(string)"/> throws until the configuration is fixed, but whatever is built
/// from these options (a registry, an HTTP client's handlers, fault injection) keeps running on the last good ones.
/// </summary>
/// <remarks>
/// <para>A singleton service, registered by <c>AddResilience</c> and by the fault-injection registrations of
/// Resilience.Http. The first read of a name has nothing to fall back to: invalid options throw
/// <see cref="OptionsValidationException"/> then.</para>
/// <para>Every reload that <see cref="Follow{TOptions}"/> sees rejected is logged at <see cref="LogLevel.Error"/> in
/// the category <c>Resilience.Configuration</c>, with every validation failure on its own line, and counted by the
/// counter <c>resilience.configuration.reload.rejections</c> of the meter <c>Resilience</c> (tags
/// <c>resilience.options.type</c>, and <c>resilience.options.name</c> for named options).</para>
/// </remarks>
public sealed class LastGoodOptions : IDisposable
{
    private readonly ConcurrentDictionary<(Type Type, string Name), object> _values = new();
    private readonly Dictionary<(Type Type, string Name), IFollower> _followers = [];
    private readonly Lock _gate = new();
    private readonly IServiceProvider _services;
    private readonly RejectedReloads _rejections;

    /// <summary>Creates the last good options of a container; rejected reloads are reported with its <see cref="ILoggerFactory"/> and <see cref="IMeterFactory"/>, when it has them.</summary>
    /// <param name="services">The container's services.</param>
    public LastGoodOptions(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        _services = services;
        _rejections = new RejectedReloads(services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance, services.GetService<IMeterFactory>());
    }

    /// <summary>Gets the options of <paramref name="name"/>, or the last valid ones while they are invalid.</summary>
    /// <typeparam name="TOptions">The options type.</typeparam>
    /// <param name="monitor">The options monitor.</param>
    /// <param name="name">The options name.</param>
    /// <returns>The options.</returns>
    /// <exception cref="OptionsValidationException">The options are invalid and were never valid before.</exception>
    /// <remarks>Reads the monitor: for building things, never per call (use <see cref="Follow{TOptions}"/> there).</remarks>
    public TOptions Get<TOptions>(IOptionsMonitor<TOptions> monitor, string name)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(monitor);
        ArgumentNullException.ThrowIfNull(name);
        try
        {
            TOptions options = monitor.Get(name);
            _values[(typeof(TOptions), name)] = options;
            return options;
        }
        catch (OptionsValidationException) when (_values.TryGetValue((typeof(TOptions), name), out object? last))
        {
            return (TOptions)last;
        }
    }

    /// <summary>
    /// Follows the options of <paramref name="name"/> through every change of their sources (the
    /// <see cref="IOptionsChangeTokenSource{TOptions}"/> of that name, and <paramref name="alsoReloadedBy"/>): each change
    /// is read and validated once, a valid one replaces <see cref="LastGoodOptionsMonitor{TOptions}.CurrentValue"/>, and a
    /// rejected one is logged and counted while the last good options stay in force.
    /// </summary>
    /// <typeparam name="TOptions">The options type.</typeparam>
    /// <param name="name">The options name.</param>
    /// <param name="alsoReloadedBy">Configuration whose reloads change these options without a change token source of
    /// their name (a binding for every name); <see langword="null"/> for none. Only the first call for a type and name
    /// subscribes.</param>
    /// <returns>The one follower of these options in this container.</returns>
    /// <exception cref="OptionsValidationException">The options are invalid and were never valid before.</exception>
    public LastGoodOptionsMonitor<TOptions> Follow<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(string name, IEnumerable<IConfiguration>? alsoReloadedBy = null)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(name);
        var key = (typeof(TOptions), name);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_rejections.IsDisposed, this);
            if (_followers.TryGetValue(key, out IFollower? existing))
            {
                return (LastGoodOptionsMonitor<TOptions>)existing;
            }

            IOptionsMonitor<TOptions> monitor = _services.GetRequiredService<IOptionsMonitor<TOptions>>();
            TOptions initial = Get(monitor, name);
            var changes = new List<Func<IChangeToken?>>();
            foreach (IOptionsChangeTokenSource<TOptions> source in _services.GetServices<IOptionsChangeTokenSource<TOptions>>())
            {
                if (string.Equals(source.Name ?? Options.DefaultName, name, StringComparison.Ordinal))
                {
                    changes.Add(source.GetChangeToken);
                }
            }

            foreach (IConfiguration configuration in alsoReloadedBy ?? [])
            {
                changes.Add(configuration.GetReloadToken);
            }

            var follower = new LastGoodOptionsMonitor<TOptions>(
                name, initial, monitor, _services.GetRequiredService<IOptionsMonitorCache<TOptions>>(), _rejections, options => _values[key] = options);
            follower.Subscribe(changes);
            _followers.Add(key, follower);
            return follower;
        }
    }

    /// <summary>Stops following every change, and the meter of a container without a meter factory.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            foreach (IFollower follower in _followers.Values)
            {
                follower.Stop();
            }

            _followers.Clear();
            _rejections.Dispose();
        }
    }
}

/// <summary>A follower of one options type and name, whatever its type.</summary>
internal interface IFollower
{
    /// <summary>Ends its subscriptions.</summary>
    void Stop();
}
