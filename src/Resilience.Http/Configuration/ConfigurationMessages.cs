using Microsoft.Extensions.Configuration;

namespace Resilience.Http.Configuration;

/// <summary>Turns the messages of the options validators into messages that name configuration keys.</summary>
internal static class ConfigurationMessages
{
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
    /// setting: the instance's key when the instance sets it, else its base configuration's key, else the key the
    /// instance would set it at.
    /// </summary>
    public static string AtKey<TOptions>(ArgumentException exception, IConfiguration root, ConfigurationLayer<TOptions> layer)
    {
        string message = WithoutParameter(exception);
        int space = message.IndexOf(' ', StringComparison.Ordinal);
        int dot = space > 0 ? message.LastIndexOf('.', space - 1) : -1;
        if (dot < 0)
        {
            return message;
        }

        string setting = exception.ParamName is { } param && layer.Settings.TryGetType(param, out _) ? param : message[(dot + 1)..space];
        IConfigurationSection instance = ResilienceConfiguration.InstanceSection(root, layer.Primitive, layer.InstanceName);
        string key = KeyIn(instance, setting)
            ?? (ResilienceConfiguration.BaseSection(root, layer.Primitive, layer.InstanceName) is { } baseSection ? KeyIn(baseSection, setting) : null)
            ?? $"{instance.Path}:{setting}";
        return key + message[space..];
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
