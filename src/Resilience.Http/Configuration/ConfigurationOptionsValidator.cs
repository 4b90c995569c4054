using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Resilience.Http.DependencyInjection;

namespace Resilience.Http.Configuration;

/// <summary>A validator of the options of one registration, found by the key of its <see cref="OptionsScope"/>.</summary>
internal interface INamedOptionsValidator
{
    /// <summary>Gets the key of the options scope this validator checks.</summary>
    string Name { get; }
}

/// <summary>One primitive instance that a registration reads from configuration, and how to validate its options.</summary>
/// <typeparam name="TOptions">The options of the registration.</typeparam>
/// <param name="Primitive">The primitive's section, such as <c>CircuitBreaker</c>.</param>
/// <param name="InstanceName">The instance under <c>{Primitive}:Instances</c>.</param>
/// <param name="Settings">The settings an instance or configuration section of that primitive may hold.</param>
/// <param name="OnlyWhenPresent">Whether the layer is read only when its instance section exists.</param>
/// <param name="Validate">Validates the layer's part of the options; throws <see cref="ArgumentException"/>.</param>
internal sealed record ConfigurationLayer<TOptions>(string Primitive, string InstanceName, ConfigurationSettings Settings, bool OnlyWhenPresent, Action<TOptions> Validate);

/// <summary>
/// Validates options bound from configuration, naming the configuration keys in every message: unknown keys, a
/// <c>BaseConfig</c> that names no configuration, values that do not convert, and values out of range (named at the
/// key that holds them, in the instance or in its base configuration).
/// </summary>
/// <typeparam name="TOptions">The options type.</typeparam>
internal sealed class ConfigurationOptionsValidator<TOptions> : IValidateOptions<TOptions>, INamedOptionsValidator
    where TOptions : class
{
    private readonly OptionsScope _scope;
    private readonly IConfiguration _root;
    private readonly Func<string, IReadOnlyList<ConfigurationLayer<TOptions>>> _layersOf;
    private readonly BindingErrors _bindingErrors;

    /// <summary>Creates the validator of the options of <paramref name="scope"/>.</summary>
    /// <param name="scope">The options names validated.</param>
    /// <param name="root">The root of the Resilience4j-shaped configuration.</param>
    /// <param name="layersOf">The layers read for a client, given its name.</param>
    /// <param name="bindingErrors">The binder's failures, recorded when the options were bound.</param>
    public ConfigurationOptionsValidator(OptionsScope scope, IConfiguration root, Func<string, IReadOnlyList<ConfigurationLayer<TOptions>>> layersOf, BindingErrors bindingErrors)
    {
        _scope = scope;
        _root = root;
        _layersOf = layersOf;
        _bindingErrors = bindingErrors;
    }

    /// <inheritdoc/>
    public string Name => _scope.Key;

    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        name ??= Options.DefaultName;
        if (!_scope.Matches(name))
        {
            return ValidateOptionsResult.Skip;
        }

        IReadOnlyList<ConfigurationLayer<TOptions>> layers = _layersOf(_scope.ClientOf(name));
        var errors = new List<string>();
        bool converted = true;
        foreach (ConfigurationLayer<TOptions> layer in layers)
        {
            if (layer.OnlyWhenPresent && !ResilienceConfiguration.HasInstance(_root, layer.Primitive, layer.InstanceName))
            {
                continue;
            }

            IConfigurationSection instance = ResilienceConfiguration.InstanceSection(_root, layer.Primitive, layer.InstanceName);
            converted &= CheckSection(instance, layer.Settings, errors);
            string? baseName = instance[ResilienceConfiguration.BaseConfig];
            IConfigurationSection configs = _root.GetSection(layer.Primitive).GetSection(ResilienceConfiguration.Configs);
            if (!string.IsNullOrEmpty(baseName) && !configs.GetSection(baseName).Exists())
            {
                errors.Add($"{instance.Path}:{ResilienceConfiguration.BaseConfig} is '{baseName}', but no configuration named '{baseName}' exists under {configs.Path}.");
            }
            else if (ResilienceConfiguration.BaseSection(_root, layer.Primitive, layer.InstanceName) is { } baseSection && baseSection.Exists())
            {
                converted &= CheckSection(baseSection, layer.Settings, errors);
            }
        }

        if (converted && _bindingErrors.Get(name) is { } bindingError)
        {
            // A conversion the checks above did not foresee; the binder's own message names the key.
            errors.Add(bindingError);
            converted = false;
        }

        if (converted)
        {
            foreach (ConfigurationLayer<TOptions> layer in layers)
            {
                try
                {
                    layer.Validate(options);
                }
                catch (ArgumentException ex)
                {
                    errors.Add(ConfigurationMessages.AtKey(ex, _root, layer));
                }
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Reports unknown keys and values that do not convert; returns whether every value converts.</summary>
    private static bool CheckSection(IConfigurationSection section, ConfigurationSettings settings, List<string> errors)
    {
        bool converted = true;
        foreach (IConfigurationSection child in section.GetChildren())
        {
            if (string.Equals(child.Key, ResilienceConfiguration.BaseConfig, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!settings.TryGetType(child.Key, out Type? type))
            {
                errors.Add($"{child.Path} is not a known setting of {settings.Description}; known settings are: {settings.Names}.");
                continue;
            }

            if (type == typeof(IList<int>))
            {
                foreach (IConfigurationSection item in child.GetChildren())
                {
                    converted &= CheckValue(item, typeof(int), errors);
                }
            }
            else
            {
                converted &= CheckValue(child, type, errors);
            }
        }

        return converted;
    }

    private static bool CheckValue(IConfigurationSection section, Type type, List<string> errors)
    {
        // An empty value (a JSON null) is left to the binder; the recorded binding error covers it if it fails.
        if (string.IsNullOrEmpty(section.Value) || ConfigurationSettings.Expectation(type, section.Value) is not { } expected)
        {
            return true;
        }

        errors.Add($"{section.Path} is '{section.Value}', but it must be {expected}.");
        return false;
    }
}
