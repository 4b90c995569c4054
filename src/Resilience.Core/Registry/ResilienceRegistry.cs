using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Resilience;

/// <summary>
/// A thread-safe store of named instances of one resilience primitive, with default options and named
/// configurations. Every primitive's registry has this shape.
/// </summary>
/// <typeparam name="TInstance">The primitive, such as <see cref="CircuitBreaker"/>.</typeparam>
/// <typeparam name="TOptions">Its options, such as <see cref="CircuitBreakerOptions"/>.</typeparam>
/// <remarks>
/// <para>Names of instances and configurations are compared without regard to case, as configuration keys are in
/// .NET. Get-or-create returns one instance per name however many threads race for it, and raises
/// <see cref="EntryAdded"/> once for it.</para>
/// <para>Options are validated when they are added, so a bad configuration fails early, with the message of the
/// primitive's own validation.</para>
/// </remarks>
public abstract class ResilienceRegistry<TInstance, TOptions>
    where TInstance : class
    where TOptions : class
{
    /// <summary>The name reserved for the default configuration.</summary>
    public const string DefaultConfigurationName = "default";

    private readonly ConcurrentDictionary<string, Entry> _instances = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, TOptions> _configurations = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Initializes a new instance of the <see cref="ResilienceRegistry{TInstance, TOptions}"/> class.</summary>
    /// <param name="defaultOptions">The options used when no configuration is named.</param>
    protected ResilienceRegistry(TOptions defaultOptions)
    {
        ArgumentNullException.ThrowIfNull(defaultOptions);
        DefaultOptions = defaultOptions;
    }

    /// <summary>Occurs once when an instance is created and added, or added by <see cref="TryAdd"/>.</summary>
    public event Action<RegistryEntryEvent<TInstance>>? EntryAdded;

    /// <summary>Occurs when an instance is removed.</summary>
    public event Action<RegistryEntryEvent<TInstance>>? EntryRemoved;

    /// <summary>Occurs when an existing instance is replaced.</summary>
    public event Action<RegistryEntryEvent<TInstance>>? EntryReplaced;

    /// <summary>Gets the options used when no configuration is named.</summary>
    public TOptions DefaultOptions { get; }

    /// <summary>Gets the number of instances.</summary>
    public int Count => _instances.Count;

    /// <summary>Adds or replaces a named configuration. Instances already created keep their options.</summary>
    /// <param name="name">The configuration name; not <see cref="DefaultConfigurationName"/>.</param>
    /// <param name="options">The options, validated now.</param>
    /// <exception cref="ArgumentException">The name is reserved or empty, or the options are invalid.</exception>
    public void AddConfiguration(string name, TOptions options)
    {
        ThrowIfReserved(name);
        ArgumentNullException.ThrowIfNull(options);
        ValidateOptions(options);
        _configurations[name] = options;
    }

    /// <summary>
    /// Adds or replaces a named configuration that starts as a copy of another (its base configuration) and then
    /// overrides some of its settings.
    /// </summary>
    /// <param name="name">The configuration name; not <see cref="DefaultConfigurationName"/>.</param>
    /// <param name="baseConfigurationName">The configuration to copy; <see cref="DefaultConfigurationName"/> copies <see cref="DefaultOptions"/>.</param>
    /// <param name="configure">Overrides settings of the copy, which is then validated.</param>
    /// <exception cref="ConfigurationNotFoundException">No configuration is named <paramref name="baseConfigurationName"/>.</exception>
    /// <exception cref="ArgumentException">The name is reserved or empty, or the resulting options are invalid.</exception>
    /// <remarks>
    /// The base is copied when this method runs, so changing or removing the base configuration later does not
    /// change this one. Collections in the options, such as exception type lists, are copied too.
    /// </remarks>
    /// <example>
    /// <code>
    /// registry.AddConfiguration("slow-backends", baseConfigurationName: "default", o => o.SlowCallDurationThreshold = TimeSpan.FromSeconds(2));
    /// </code>
    /// </example>
    public void AddConfiguration(string name, string baseConfigurationName, Action<TOptions> configure)
    {
        ThrowIfReserved(name);
        ArgumentNullException.ThrowIfNull(baseConfigurationName);
        ArgumentNullException.ThrowIfNull(configure);
        if (!TryGetConfiguration(baseConfigurationName, out TOptions? baseOptions))
        {
            throw new ConfigurationNotFoundException(baseConfigurationName);
        }

        TOptions options = CloneOptions(baseOptions);
        configure(options);
        ValidateOptions(options);
        _configurations[name] = options;
    }

    /// <summary>Gets a named configuration; <see cref="DefaultConfigurationName"/> gives <see cref="DefaultOptions"/>.</summary>
    /// <param name="name">The configuration name.</param>
    /// <param name="options">The options, when found.</param>
    /// <returns>Whether the configuration exists.</returns>
    public bool TryGetConfiguration(string name, [NotNullWhen(true)] out TOptions? options)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (string.Equals(name, DefaultConfigurationName, StringComparison.OrdinalIgnoreCase))
        {
            options = DefaultOptions;
            return true;
        }

        return _configurations.TryGetValue(name, out options);
    }

    /// <summary>Removes a named configuration. Instances created from it are kept.</summary>
    /// <param name="name">The configuration name; not <see cref="DefaultConfigurationName"/>.</param>
    /// <returns>Whether the configuration existed.</returns>
    public bool RemoveConfiguration(string name)
    {
        ThrowIfReserved(name);
        return _configurations.TryRemove(name, out _);
    }

    /// <summary>Gets the instance with this name, creating it with <see cref="DefaultOptions"/> if it does not exist.</summary>
    /// <param name="name">The instance name.</param>
    /// <returns>The one instance with this name.</returns>
    public TInstance GetOrCreate(string name) => GetOrCreate(name, DefaultOptions);

    /// <summary>Gets the instance with this name, creating it with <paramref name="options"/> if it does not exist. An existing instance is returned as it is and the options are ignored.</summary>
    /// <param name="name">The instance name.</param>
    /// <param name="options">The options for a new instance.</param>
    /// <returns>The one instance with this name.</returns>
    public TInstance GetOrCreate(string name, TOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(options);
        if (_instances.TryGetValue(name, out Entry? existing))
        {
            return existing.Value;
        }

        var created = new Entry(this, name, options);
        Entry winner = _instances.GetOrAdd(name, created);
        if (!ReferenceEquals(winner, created))
        {
            return winner.Value;
        }

        TInstance instance;
        try
        {
            instance = created.Value;
        }
        catch
        {
            // Do not keep a cached failure under this name.
            _instances.TryRemove(new KeyValuePair<string, Entry>(name, created));
            throw;
        }

        EntryAdded?.Invoke(new RegistryEntryEvent<TInstance>(RegistryEntryEventType.Added, name, instance, null));
        return instance;
    }

    /// <summary>Gets the instance with this name, creating it from the named configuration if it does not exist. The configuration is looked up only when the instance is created.</summary>
    /// <param name="name">The instance name.</param>
    /// <param name="configurationName">The configuration for a new instance.</param>
    /// <returns>The one instance with this name.</returns>
    /// <exception cref="ConfigurationNotFoundException">No configuration has that name.</exception>
    public TInstance GetOrCreate(string name, string configurationName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configurationName);
        if (_instances.TryGetValue(name, out Entry? existing))
        {
            return existing.Value;
        }

        return TryGetConfiguration(configurationName, out TOptions? options)
            ? GetOrCreate(name, options)
            : throw new ConfigurationNotFoundException(configurationName);
    }

    /// <summary>Finds an existing instance.</summary>
    /// <param name="name">The instance name.</param>
    /// <param name="instance">The instance, when found.</param>
    /// <returns>Whether it exists.</returns>
    public bool TryGet(string name, [NotNullWhen(true)] out TInstance? instance)
    {
        ArgumentNullException.ThrowIfNull(name);
        instance = _instances.TryGetValue(name, out Entry? lazy) ? lazy.Value : null;
        return instance is not null;
    }

    /// <summary>Adds an instance built elsewhere under <paramref name="name"/>; does nothing if the name is taken.</summary>
    /// <param name="name">The instance name; pass the instance's own name, so that it is found by the name it reports.</param>
    /// <param name="instance">The instance.</param>
    /// <returns>Whether the instance was added.</returns>
    /// <remarks>
    /// For front-ends that build instances with rules of their own (an HTTP client's breaker, say) and publish them
    /// here, so that any code can find them by name. Raises <see cref="EntryAdded"/>. With <see cref="TryReplace"/>,
    /// it puts an instance in place whether or not the name is taken.
    /// </remarks>
    public bool TryAdd(string name, TInstance instance)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(instance);
        if (!_instances.TryAdd(name, new Entry(instance)))
        {
            return false;
        }

        EntryAdded?.Invoke(new RegistryEntryEvent<TInstance>(RegistryEntryEventType.Added, name, instance, null));
        return true;
    }

    /// <summary>Removes an instance.</summary>
    /// <param name="name">The instance name.</param>
    /// <param name="instance">The removed instance.</param>
    /// <returns>Whether it existed.</returns>
    public bool TryRemove(string name, [NotNullWhen(true)] out TInstance? instance)
    {
        ArgumentNullException.ThrowIfNull(name);
        instance = _instances.TryRemove(name, out Entry? lazy) ? lazy.Value : null;
        if (instance is not null)
        {
            EntryRemoved?.Invoke(new RegistryEntryEvent<TInstance>(RegistryEntryEventType.Removed, name, instance, null));
        }

        return instance is not null;
    }

    /// <summary>Replaces an existing instance; does nothing if there is none.</summary>
    /// <param name="name">The instance name.</param>
    /// <param name="instance">The new instance.</param>
    /// <param name="replaced">The instance that was replaced.</param>
    /// <returns>Whether an instance was replaced.</returns>
    public bool TryReplace(string name, TInstance instance, [NotNullWhen(true)] out TInstance? replaced)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(instance);
        var next = new Entry(instance);
        while (_instances.TryGetValue(name, out Entry? current))
        {
            if (_instances.TryUpdate(name, next, current))
            {
                replaced = current.Value;
                EntryReplaced?.Invoke(new RegistryEntryEvent<TInstance>(RegistryEntryEventType.Replaced, name, instance, replaced));
                return true;
            }
        }

        replaced = null;
        return false;
    }

    /// <summary>Returns a snapshot of all instances.</summary>
    /// <returns>The instances at the moment of the call.</returns>
    public IReadOnlyList<TInstance> GetAll() => [.. _instances.Values.Select(static lazy => lazy.Value)];

    /// <summary>Creates an instance. Called at most once per name while the name is present.</summary>
    /// <param name="name">The instance name.</param>
    /// <param name="options">The options.</param>
    /// <returns>The new instance.</returns>
    protected abstract TInstance CreateInstance(string name, TOptions options);

    /// <summary>Returns a deep copy of options: changing the copy, or its collections, leaves the original as it is.</summary>
    /// <param name="options">The options to copy.</param>
    /// <returns>The copy.</returns>
    protected abstract TOptions CloneOptions(TOptions options);

    /// <summary>Validates options, throwing an <see cref="ArgumentException"/> that names the option, the value and the valid range.</summary>
    /// <param name="options">The options.</param>
    protected abstract void ValidateOptions(TOptions options);

    /// <summary>
    /// An instance created at most once, on first read. Creation takes a lock, once per name; reads after it do not.
    /// (<see cref="Lazy{T}"/> is avoided because its trimming annotations would leak into this public generic type.)
    /// </summary>
    private sealed class Entry
    {
        private readonly Lock _gate = new();
        private ResilienceRegistry<TInstance, TOptions>? _registry;
        private string? _name;
        private TOptions? _options;
        private TInstance? _value;

        public Entry(ResilienceRegistry<TInstance, TOptions> registry, string name, TOptions options)
        {
            _registry = registry;
            _name = name;
            _options = options;
        }

        public Entry(TInstance value) => _value = value;

        public TInstance Value => Volatile.Read(ref _value) ?? Create();

        private TInstance Create()
        {
            lock (_gate)
            {
                if (_value is null)
                {
                    Volatile.Write(ref _value, _registry!.CreateInstance(_name!, _options!));
                    (_registry, _name, _options) = (null, null, null);
                }

                return _value;
            }
        }
    }

    private static void ThrowIfReserved(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (string.Equals(name, DefaultConfigurationName, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"'{DefaultConfigurationName}' is reserved for the default configuration; set it through the registry's constructor.", nameof(name));
        }
    }
}
