using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;

namespace Resilience.DependencyInjection;

/// <summary>
/// The settings an options type takes from configuration, so that validation can name an unknown key and list the
/// known ones: its public settable properties of a scalar type (numbers, <see cref="bool"/>, <see cref="TimeSpan"/>,
/// enums, and their nullable forms) and lists of whole numbers (such as status codes).
/// </summary>
/// <remarks>Delegates and exception type lists are set by code only, so they are not settings.</remarks>
public sealed class ResilienceSettings
{
    private readonly Dictionary<string, Type> _settings;

    private ResilienceSettings(string description, Dictionary<string, Type> settings)
    {
        Description = description;
        _settings = settings;
        Names = string.Join(", ", settings.Keys.Order(StringComparer.Ordinal));
    }

    internal static ResilienceSettings CircuitBreaker { get; } = Create<CircuitBreakerOptions>("a circuit breaker");

    internal static ResilienceSettings Retry { get; } = Create<RetryOptions>("a retry");

    internal static ResilienceSettings TimeLimiter { get; } = Create<TimeLimiterOptions>("a time limiter");

    internal static ResilienceSettings Bulkhead { get; } = Create<BulkheadOptions>("a bulkhead");

    internal static ResilienceSettings ThreadPoolBulkhead { get; } = Create<ThreadPoolBulkheadOptions>("a thread pool bulkhead");

    internal static ResilienceSettings RateLimiter { get; } = Create<RequestRateLimiterOptions>("a rate limiter");

    /// <summary>Gets what the settings configure, such as "a circuit breaker".</summary>
    internal string Description { get; }

    /// <summary>Gets the names of the settings, comma-separated, in ordinal order.</summary>
    internal string Names { get; }

    /// <summary>Gets the settings of <typeparamref name="TOptions"/>.</summary>
    /// <typeparam name="TOptions">The options type.</typeparam>
    /// <param name="description">What the settings configure, for messages, such as <c>"a circuit breaker"</c>.</param>
    /// <returns>The settings.</returns>
    public static ResilienceSettings Create<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TOptions>(string description)
        where TOptions : class
    {
        ArgumentException.ThrowIfNullOrEmpty(description);
        var settings = new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase);
        foreach (PropertyInfo property in typeof(TOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is { IsPublic: true } && IsBindable(property.PropertyType))
            {
                settings[property.Name] = property.PropertyType;
            }
        }

        return new ResilienceSettings(description, settings);
    }

    /// <summary>Gets the type of the setting named <paramref name="key"/> (case-insensitive), if there is one.</summary>
    internal bool TryGetType(string key, [NotNullWhen(true)] out Type? type) => _settings.TryGetValue(key, out type);

    /// <summary>
    /// Checks that <paramref name="value"/> converts to <paramref name="type"/> as the configuration binder converts
    /// it, and returns what the value must be when it does not.
    /// </summary>
    internal static string? Expectation(Type type, string value)
    {
        Type? underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null)
        {
            if (value.Length == 0)
            {
                return null;
            }

            type = underlying;
        }

        CultureInfo invariant = CultureInfo.InvariantCulture;
        return type switch
        {
            _ when type == typeof(int) => int.TryParse(value, NumberStyles.Integer, invariant, out _) ? null : "a whole number (Int32)",
            _ when type == typeof(long) => long.TryParse(value, NumberStyles.Integer, invariant, out _) ? null : "a whole number (Int64)",
            _ when type == typeof(float) => float.TryParse(value, NumberStyles.Float | NumberStyles.AllowThousands, invariant, out _) ? null : "a number (Single)",
            _ when type == typeof(double) => double.TryParse(value, NumberStyles.Float | NumberStyles.AllowThousands, invariant, out _) ? null : "a number (Double)",
            _ when type == typeof(bool) => bool.TryParse(value, out _) ? null : "true or false (Boolean)",
            _ when type == typeof(TimeSpan) => TimeSpan.TryParse(value, invariant, out _) ? null : "a TimeSpan such as 00:00:05 (hh:mm:ss)",
            _ when type.IsEnum => IsEnumName(type, value) ? null : "one of " + string.Join(", ", Enum.GetNames(type)) + " (" + type.Name + ")",
            _ => null,
        };
    }

    private static bool IsEnumName(Type type, string value)
    {
        foreach (string name in Enum.GetNames(type))
        {
            if (string.Equals(name, value.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsBindable(Type type)
    {
        Type scalar = Nullable.GetUnderlyingType(type) ?? type;
        return scalar.IsPrimitive || scalar.IsEnum || scalar == typeof(TimeSpan) || type == typeof(IList<int>);
    }
}
