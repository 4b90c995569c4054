using System.Diagnostics.CodeAnalysis;

namespace Resilience.DependencyInjection;

/// <summary>Builds a primitive for options: reusing, changing or replacing the previous instance as <see cref="ResilienceReload"/> rules.</summary>
/// <typeparam name="TInstance">The primitive.</typeparam>
/// <typeparam name="TOptions">Its options.</typeparam>
/// <param name="previous">The instance under the name now, or <see langword="null"/>.</param>
/// <param name="previousOptions">The options <paramref name="previous"/> was built from, when this binder built it.</param>
/// <param name="name">The instance name.</param>
/// <param name="options">The new options, valid.</param>
/// <returns>The instance to hold under the name: <paramref name="previous"/> or a new one.</returns>
internal delegate TInstance PrimitiveBuilder<TInstance, TOptions>(TInstance? previous, TOptions? previousOptions, string name, TOptions options)
    where TInstance : class
    where TOptions : class;

/// <summary>
/// Keeps one registry in line with its options: the named configurations, and the instances that the options list,
/// created when the registry is built and rebuilt on reloads by the reload rules.
/// </summary>
/// <remarks>
/// <para>Reloads are serialized by a lock on the reload path only; the registry itself is read without one.</para>
/// <para>What a reload does: a configured instance whose options changed is rebuilt (<see cref="ResilienceReload"/>) and,
/// when a new instance results, put in place with <c>TryReplace</c>, which raises <c>EntryReplaced</c>; holders of the
/// old instance keep it, and calls in flight finish on it. An instance that configuration no longer lists keeps its
/// last options. An instance created on demand whose name configuration now lists is rebuilt from its options. An
/// instance that someone else put under a configured name (an HTTP client, or code calling <c>TryReplace</c>) is left
/// to them from then on. Named configurations are added, replaced and removed; instances already created from them
/// keep their options, as the registry documents. The default configuration is read once, when the registry is built.</para>
/// </remarks>
internal sealed class RegistryBinder<TInstance, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TOptions>
    where TInstance : class
    where TOptions : class
{
    private readonly Lock _gate = new();
    private readonly string _primitive;
    private readonly ClaimSet _claims;
    private readonly PrimitiveBuilder<TInstance, TOptions> _build;
    private readonly Dictionary<string, (TInstance Instance, TOptions Options)> _built = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, TOptions> _configurations = new(StringComparer.OrdinalIgnoreCase);

    public RegistryBinder(ResilienceRegistry<TInstance, TOptions> registry, string primitive, ClaimSet claims, PrimitiveBuilder<TInstance, TOptions> build)
    {
        Registry = registry;
        _primitive = primitive;
        _claims = claims;
        _build = build;
    }

    /// <summary>Gets the registry.</summary>
    public ResilienceRegistry<TInstance, TOptions> Registry { get; }

    /// <summary>Brings the registry in line with <paramref name="options"/>.</summary>
    public void Apply(ResilienceRegistryOptions<TOptions> options)
    {
        lock (_gate)
        {
            ApplyConfigurations(options.Configs);
            foreach (KeyValuePair<string, TOptions> pair in options.Instances)
            {
                if (!_claims.IsClaimed(_primitive, pair.Key))
                {
                    ApplyInstance(pair.Key, pair.Value);
                }
            }
        }
    }

    private void ApplyConfigurations(IDictionary<string, TOptions> configurations)
    {
        foreach (KeyValuePair<string, TOptions> pair in configurations)
        {
            if (string.Equals(pair.Key, ResilienceConfiguration.DefaultConfig, StringComparison.OrdinalIgnoreCase))
            {
                continue; // the registry's default options, fixed when it is built
            }

            if (!_configurations.TryGetValue(pair.Key, out TOptions? current) || !OptionsEquality.AreEqual(current, pair.Value))
            {
                Registry.AddConfiguration(pair.Key, pair.Value);
                _configurations[pair.Key] = pair.Value;
            }
        }

        foreach (string name in _configurations.Keys.Where(name => !configurations.ContainsKey(name)).ToList())
        {
            Registry.RemoveConfiguration(name);
            _configurations.Remove(name);
        }
    }

    private void ApplyInstance(string name, TOptions options)
    {
        bool present = Registry.TryGet(name, out TInstance? current);
        bool known = _built.TryGetValue(name, out (TInstance Instance, TOptions Options) built);
        if (known && present && !ReferenceEquals(current, built.Instance))
        {
            _built.Remove(name); // someone else put it there: theirs from now on
            return;
        }

        if (known && present && OptionsEquality.AreEqual(built.Options, options))
        {
            return;
        }

        TInstance next = _build(current, known && present ? built.Options : null, name, options);
        if (!present)
        {
            if (!Registry.TryAdd(name, next))
            {
                return; // created on demand at this very moment: it is rebuilt at the next reload
            }
        }
        else if (!ReferenceEquals(next, current) && !Registry.TryReplace(name, next, out _))
        {
            return; // removed at this very moment: leave the name free
        }

        _built[name] = (next, options);
    }
}
