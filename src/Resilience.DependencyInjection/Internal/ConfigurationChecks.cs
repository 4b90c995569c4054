using Microsoft.Extensions.Configuration;

namespace Resilience.DependencyInjection;

/// <summary>
/// The checks behind every configuration validator: unknown keys, values that do not convert, a <c>BaseConfig</c> that
/// names no configuration, and messages rewritten to start with the full key that holds the setting.
/// </summary>
internal static class ConfigurationChecks
{
    /// <summary>Checks the section of a layer and the sections of its base chain; returns whether every value converts.</summary>
    public static bool CheckLayer<TOptions>(IConfiguration root, ResilienceConfigurationLayer<TOptions> layer, List<string> errors)
        where TOptions : class
    {
        IConfigurationSection entry = SectionOf(root, layer);
        bool converted = CheckSection(entry, layer.Settings, errors);
        BaseChain chain = BaseChain.Of(root, layer.Primitive, entry, isInstance: !layer.IsConfiguration);
        if (chain.Problem is { } problem)
        {
            errors.Add(problem);
        }

        foreach (IConfigurationSection baseSection in chain.Sections)
        {
            converted &= CheckSection(baseSection, layer.Settings, errors);
        }

        return converted;
    }

    /// <summary>The section of a layer: <c>{Primitive}:Instances:{name}</c>, or <c>{Primitive}:Configs:{name}</c> for a configuration.</summary>
    public static IConfigurationSection SectionOf<TOptions>(IConfiguration root, ResilienceConfigurationLayer<TOptions> layer)
        where TOptions : class =>
        root.GetSection(layer.Primitive).GetSection(layer.IsConfiguration ? ResilienceConfiguration.Configs : ResilienceConfiguration.Instances).GetSection(layer.InstanceName);

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
    /// Rewrites each line of a validator's message, <c>XOptions.Setting is …</c>, to start with the full key that
    /// holds the setting: the layer's key when the layer sets it, else the key of the nearest base configuration that
    /// sets it, else the key the layer would set it at.
    /// </summary>
    public static IEnumerable<string> AtKey<TOptions>(ArgumentException exception, IConfiguration root, ResilienceConfigurationLayer<TOptions> layer)
        where TOptions : class
    {
        IConfigurationSection section = SectionOf(root, layer);
        IReadOnlyList<IConfigurationSection> bases = BaseChain.Of(root, layer.Primitive, section, isInstance: !layer.IsConfiguration).Sections;
        foreach (string line in Lines(exception))
        {
            if (SplitSetting(line, layer.Settings) is not var (setting, rest))
            {
                yield return $"{section.Path}: {line}";
                continue;
            }

            string? key = KeyIn(section, setting);
            for (int i = bases.Count - 1; key is null && i >= 0; i--)
            {
                key = KeyIn(bases[i], setting);
            }

            yield return (key ?? $"{section.Path}:{setting}") + rest;
        }
    }

    /// <summary>Rewrites each line of a validator's message to start with the key <c>{path}:{setting}</c>, for options set by code.</summary>
    public static IEnumerable<string> AtPath(ArgumentException exception, ResilienceSettings settings, string path) =>
        Lines(exception).Select(line => SplitSetting(line, settings) is var (setting, rest) ? $"{path}:{setting}{rest}" : $"{path}: {line}");

    /// <summary>The problems of a validator's message, one a line (the primitives' validators report every problem at once).</summary>
    public static IEnumerable<string> Lines(ArgumentException exception) =>
        WithoutParameter(exception).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Splits <c>XOptions.Setting is …</c> into the setting and the rest of the message, starting at its space.</summary>
    private static (string Setting, string Remainder)? SplitSetting(string message, ResilienceSettings settings)
    {
        int space = message.IndexOf(' ', StringComparison.Ordinal);
        int dot = space > 0 ? message.LastIndexOf('.', space - 1) : -1;
        if (dot < 0 || !settings.TryGetType(message[(dot + 1)..space], out _))
        {
            return null;
        }

        return (message[(dot + 1)..space], message[space..]);
    }

    /// <summary>Reports unknown keys and values that do not convert; returns whether every value converts.</summary>
    private static bool CheckSection(IConfigurationSection section, ResilienceSettings settings, List<string> errors)
    {
        bool converted = true;
        foreach (IConfigurationSection child in section.GetChildren())
        {
            if (string.Equals(child.Key, ResilienceConfiguration.BaseConfig, StringComparison.OrdinalIgnoreCase))
            {
                if (child.GetChildren().Any())
                {
                    errors.Add($"{child.Path} is an object or a list, but it must be the name of a configuration under Configs.");
                }

                continue;
            }

            if (!settings.TryGetType(child.Key, out Type? type))
            {
                errors.Add($"{child.Path} is not a known setting of {settings.Description}.{NameSuggestion.DidYouMean(child.Key, settings.SettingNames)} Known settings are: {settings.Names}.");
                continue;
            }

            if (!SettingValue.TryRead(child, type, out _, out string? problem))
            {
                errors.Add(child.Path + problem);
                converted = false;
            }
        }

        return converted;
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
