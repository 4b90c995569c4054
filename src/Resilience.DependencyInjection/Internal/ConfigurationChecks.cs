using Microsoft.Extensions.Configuration;

namespace Resilience.DependencyInjection;

/// <summary>
/// The checks behind every configuration validator: unknown keys, values that do not convert, a <c>BaseConfig</c> that
/// names no configuration, and messages rewritten to start with the full key that holds the setting.
/// </summary>
internal static class ConfigurationChecks
{
    /// <summary>Checks the section of a layer and its base; returns whether every value converts.</summary>
    public static bool CheckLayer<TOptions>(IConfiguration root, ResilienceConfigurationLayer<TOptions> layer, List<string> errors)
        where TOptions : class
    {
        IConfigurationSection configs = root.GetSection(layer.Primitive).GetSection(ResilienceConfiguration.Configs);
        if (layer.IsConfiguration)
        {
            return CheckSection(configs.GetSection(layer.InstanceName), layer.Settings, errors);
        }

        IConfigurationSection instance = ResilienceConfiguration.GetInstanceSection(root, layer.Primitive, layer.InstanceName);
        bool converted = CheckSection(instance, layer.Settings, errors);
        string? baseName = instance[ResilienceConfiguration.BaseConfig];
        if (!string.IsNullOrEmpty(baseName) && !configs.GetSection(baseName).Exists())
        {
            errors.Add($"{instance.Path}:{ResilienceConfiguration.BaseConfig} is '{baseName}', but no configuration named '{baseName}' exists under {configs.Path}.");
        }
        else if (ResilienceConfiguration.GetBaseSection(root, layer.Primitive, layer.InstanceName) is { } baseSection && baseSection.Exists())
        {
            converted &= CheckSection(baseSection, layer.Settings, errors);
        }

        return converted;
    }

    /// <summary>
    /// Gets the message of <paramref name="exception"/> without the <c> (Parameter 'X')</c> that
    /// <see cref="ArgumentException.Message"/> appends, nor the actual value line of
    /// <see cref="ArgumentOutOfRangeException"/>: the validators' messages already name the option and its value.
    /// </summary>
    public static string WithoutParameter(ArgumentException exception)
    {
        string message = exception.Message;
        if (string.IsNullOrEmpty(exception.ParamName))
        {
            return message;
        }

        // The suffix as the runtime formats it, in the current culture: the message of an exception with a one-character message, less that character.
        string suffix = new ArgumentException("x", exception.ParamName).Message[1..];
        int index = message.IndexOf(suffix, StringComparison.Ordinal);
        return index >= 0 ? message[..index] : message;
    }

    /// <summary>
    /// Rewrites a validator's message, <c>XOptions.Setting is …</c>, to start with the full key that holds the
    /// setting: the layer's key when the layer sets it, else its base configuration's key, else the key the layer
    /// would set it at.
    /// </summary>
    public static string AtKey<TOptions>(ArgumentException exception, IConfiguration root, ResilienceConfigurationLayer<TOptions> layer)
        where TOptions : class
    {
        string message = WithoutParameter(exception);
        if (SplitSetting(exception, message, layer.Settings) is not var (setting, rest))
        {
            return message;
        }

        IConfigurationSection section = layer.IsConfiguration
            ? root.GetSection(layer.Primitive).GetSection(ResilienceConfiguration.Configs).GetSection(layer.InstanceName)
            : ResilienceConfiguration.GetInstanceSection(root, layer.Primitive, layer.InstanceName);
        string key = KeyIn(section, setting)
            ?? (!layer.IsConfiguration && ResilienceConfiguration.GetBaseSection(root, layer.Primitive, layer.InstanceName) is { } baseSection ? KeyIn(baseSection, setting) : null)
            ?? $"{section.Path}:{setting}";
        return key + rest;
    }

    /// <summary>Rewrites a validator's message to start with the key <c>{path}:{setting}</c>, for options set by code.</summary>
    public static string AtPath(ArgumentException exception, ResilienceSettings settings, string path)
    {
        string message = WithoutParameter(exception);
        return SplitSetting(exception, message, settings) is var (setting, rest) ? $"{path}:{setting}{rest}" : $"{path}: {message}";
    }

    /// <summary>Splits <c>XOptions.Setting is …</c> into the setting and the rest of the message, starting at its space.</summary>
    private static (string Setting, string Remainder)? SplitSetting(ArgumentException exception, string message, ResilienceSettings settings)
    {
        int space = message.IndexOf(' ', StringComparison.Ordinal);
        int dot = space > 0 ? message.LastIndexOf('.', space - 1) : -1;
        if (dot < 0)
        {
            return null;
        }

        string setting = exception.ParamName is { } param && settings.TryGetType(param, out _) ? param : message[(dot + 1)..space];
        return (setting, message[space..]);
    }

    /// <summary>Reports unknown keys and values that do not convert; returns whether every value converts.</summary>
    private static bool CheckSection(IConfigurationSection section, ResilienceSettings settings, List<string> errors)
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
        if (string.IsNullOrEmpty(section.Value) || ResilienceSettings.Expectation(type, section.Value) is not { } expected)
        {
            return true;
        }

        errors.Add($"{section.Path} is '{section.Value}', but it must be {expected}.");
        return false;
    }

    private static string? KeyIn(IConfigurationSection section, string setting)
    {
        foreach (IConfigurationSection child in section.GetChildren())
        {
            if (string.Equals(child.Key, setting, StringComparison.OrdinalIgnoreCase))
            {
                return child.Path;
            }
        }

        return null;
    }
}
