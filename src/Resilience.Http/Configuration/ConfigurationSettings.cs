using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;

namespace Resilience.Http.Configuration;

/// <summary>
/// The settings of one options type that configuration can bind: public settable properties of a scalar type
/// (numbers, <see cref="bool"/>, <see cref="TimeSpan"/>, enums, and their nullable forms) and lists of status codes.
/// Delegates and exception type lists are set by code only.
/// </summary>
internal sealed class ConfigurationSettings
{
    private readonly Dictionary<string, Type> _settings;

    private ConfigurationSettings(string description, Dictionary<string, Type> settings)
    {
        Description = description;
        _settings = settings;
        Names = string.Join(", ", settings.Keys);
    }

    public static ConfigurationSettings CircuitBreaker { get; } = Create(typeof(HttpCircuitBreakerOptions), "a circuit breaker");

    public static ConfigurationSettings Retry { get; } = Create(typeof(HttpRetryOptions), "a retry");

    public static ConfigurationSettings TimeLimiter { get; } = Create(typeof(TimeLimiterOptions), "a time limiter");

    public static ConfigurationSettings Bulkhead { get; } = Create(typeof(BulkheadOptions), "a bulkhead");

    public static ConfigurationSettings RateLimiter { get; } = Create(typeof(RequestRateLimiterOptions), "a rate limiter");

    public static ConfigurationSettings ThreadPoolBulkhead { get; } = Create(typeof(ThreadPoolBulkheadOptions), "a thread pool bulkhead");

    /// <summary>Gets what the settings configure, such as "a circuit breaker".</summary>
    public string Description { get; }

    /// <summary>Gets the names of the settings, comma-separated, in alphabetical order.</summary>
    public string Names { get; }

    /// <summary>Gets the type of the setting named <paramref name="key"/> (case-insensitive), if there is one.</summary>
    public bool TryGetType(string key, [NotNullWhen(true)] out Type? type) => _settings.TryGetValue(key, out type);

    /// <summary>
    /// Checks that <paramref name="value"/> converts to <paramref name="type"/> as the configuration binder converts
    /// it, and returns what the value must be when it does not.
    /// </summary>
    public static string? Expectation(Type type, string value)
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
            _ when type.IsEnum => IsEnumName(type, value) ? null : "one of " + string.Join(", ", EnumNames(type)) + " (" + type.Name + ")",
            _ => null,
        };
    }

    private static bool IsEnumName(Type type, string value)
    {
        foreach (string name in EnumNames(type))
        {
            if (string.Equals(name, value.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static string[] EnumNames(Type type) => type switch
    {
        _ when type == typeof(CircuitBreakerState) => Enum.GetNames<CircuitBreakerState>(),
        _ when type == typeof(SlidingWindowType) => Enum.GetNames<SlidingWindowType>(),
        _ when type == typeof(RetryBackoffType) => Enum.GetNames<RetryBackoffType>(),
        _ => [],
    };

    private static ConfigurationSettings Create([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] Type optionsType, string description)
    {
        var settings = new SortedDictionary<string, Type>(StringComparer.Ordinal);
        foreach (PropertyInfo property in optionsType.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is { IsPublic: true } && IsBindable(property.PropertyType))
            {
                settings[property.Name] = property.PropertyType;
            }
        }

        return new ConfigurationSettings(description, new Dictionary<string, Type>(settings, StringComparer.OrdinalIgnoreCase));
    }

    private static bool IsBindable(Type type)
    {
        Type scalar = Nullable.GetUnderlyingType(type) ?? type;
        return scalar.IsPrimitive || scalar.IsEnum || scalar == typeof(TimeSpan) || type == typeof(IList<int>);
    }
}
