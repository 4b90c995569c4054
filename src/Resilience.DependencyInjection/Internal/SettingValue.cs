using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Resilience.DependencyInjection;

/// <summary>Reads the value of one setting from its configuration section, or says what it must be (see <see cref="ResilienceSettings"/>).</summary>
internal static class SettingValue
{
    public static bool IsBindable(Type type)
    {
        Type scalar = Nullable.GetUnderlyingType(type) ?? type;
        return scalar.IsPrimitive || scalar.IsEnum || scalar == typeof(TimeSpan) || type == typeof(IList<int>);
    }

    /// <summary>Reads <paramref name="section"/> as a <paramref name="type"/>; when it cannot, <paramref name="problem"/> is the rest of a message that starts with the key.</summary>
    public static bool TryRead(IConfigurationSection section, Type type, out object? value, [NotNullWhen(false)] out string? problem)
    {
        value = null;
        if (type == typeof(IList<int>) || type == typeof(IList<Type>))
        {
            return TryReadList(section, type == typeof(IList<int>) ? typeof(int) : typeof(Type), out value, out problem);
        }

        Type? underlying = Nullable.GetUnderlyingType(type);
        string expected = Expected(underlying ?? type);
        if (section.GetChildren().Any())
        {
            problem = $" is an object or a list, but it must be {expected}.";
            return false;
        }

        if (section.Value is null)
        {
            // JSON null and {} read alike: "no value", which only a nullable setting takes.
            problem = underlying is null ? $" is null or an empty object, but it must be {expected}." : null;
            return problem is null;
        }

        if (section.Value.Trim().Length == 0)
        {
            problem = $" is an empty string, but it must be {expected}.";
            return false;
        }

        return TryConvert(section.Value, underlying ?? type, out value, out problem);
    }

    private static bool TryReadList(IConfigurationSection section, Type element, out object? value, [NotNullWhen(false)] out string? problem)
    {
        value = null;
        problem = null;
        string example = element == typeof(int) ? "[ 500, 503 ]" : "[ \"System.TimeoutException\" ]";
        if (section.Value is { Length: > 0 } scalar)
        {
            problem = $" is '{scalar}', but it must be a list, such as {example}.";
            return false;
        }

        // [] and "" read alike (an empty value): an empty list. null and {} read alike too: no value, the default.
        if (section.Value is null && !section.GetChildren().Any())
        {
            return true;
        }

        var ints = new List<int>();
        var types = new List<Type>();
        foreach (IConfigurationSection item in section.GetChildren())
        {
            if (item.GetChildren().Any() || string.IsNullOrWhiteSpace(item.Value))
            {
                problem = $":{item.Key} is {(item.GetChildren().Any() ? "an object or a list" : "empty")}, but it must be {Expected(element)}.";
                return false;
            }

            if (!TryConvert(item.Value, element, out object? converted, out string? itemProblem))
            {
                problem = $":{item.Key}{itemProblem}";
                return false;
            }

            if (converted is int number)
            {
                ints.Add(number);
            }
            else
            {
                types.Add((Type)converted!);
            }
        }

        value = element == typeof(int) ? ints : types;
        return true;
    }

    private static bool TryConvert(string text, Type type, out object? value, [NotNullWhen(false)] out string? problem)
    {
        CultureInfo invariant = CultureInfo.InvariantCulture;
        value = type switch
        {
            _ when type == typeof(int) => int.TryParse(text, NumberStyles.Integer, invariant, out int i) ? i : null,
            _ when type == typeof(long) => long.TryParse(text, NumberStyles.Integer, invariant, out long l) ? l : null,
            _ when type == typeof(float) => float.TryParse(text, NumberStyles.Float, invariant, out float f) && float.IsFinite(f) ? f : null,
            _ when type == typeof(double) => double.TryParse(text, NumberStyles.Float, invariant, out double d) && double.IsFinite(d) ? d : null,
            _ when type == typeof(bool) => bool.TryParse(text, out bool b) ? b : null,
            _ when type == typeof(TimeSpan) => ConfigurationDuration.TryParse(text, out TimeSpan t) ? t : null,
            _ when type.IsEnum => EnumName(type, text),
            _ when type == typeof(Type) => ExceptionType(text),
            _ => null,
        };
        if (value is Type resolved && !typeof(Exception).IsAssignableFrom(resolved))
        {
            value = null;
            problem = $" is '{text}', but it must be an exception type (System.Exception or a subclass).";
            return false;
        }

        problem = value is null ? $" is '{text}', but it must be {Expected(type)}." : null;
        return problem is null;
    }

    private static string Expected(Type type) => type switch
    {
        _ when type == typeof(int) => "a whole number (Int32)",
        _ when type == typeof(long) => "a whole number (Int64)",
        _ when type == typeof(float) => "a number (Single)",
        _ when type == typeof(double) => "a number (Double)",
        _ when type == typeof(bool) => "true or false (Boolean)",
        _ when type == typeof(TimeSpan) => ConfigurationDuration.Expected,
        _ when type.IsEnum => "one of " + string.Join(", ", Enum.GetNames(type)) + " (" + type.Name + ", by name)",
        _ when type == typeof(Type) => "the full name of a loaded exception type, such as System.TimeoutException",
        _ => type.Name,
    };

    private static object? EnumName(Type type, string text)
    {
        foreach (string name in Enum.GetNames(type))
        {
            if (string.Equals(name, text.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return Enum.Parse(type, name);
            }
        }

        return null;
    }

    /// <summary>Resolves a type by assembly-qualified name, or by full name in any loaded assembly.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "The types named in configuration are the application's own or the framework's; one that trimming removed is reported as not found, with its key.")]
    [UnconditionalSuppressMessage("Trimming", "IL2057", Justification = "As above: the name comes from configuration.")]
    private static Type? ExceptionType(string name)
    {
        name = name.Trim();
        if (Type.GetType(name, throwOnError: false) is { } type)
        {
            return type;
        }

        foreach (Assembly assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (assembly.GetType(name, throwOnError: false) is { } found)
            {
                return found;
            }
        }

        return null;
    }
}
