using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Resilience.DependencyInjection;

/// <summary>
/// The settings an options type takes from configuration, and how each is read: its public settable properties of a
/// scalar type (numbers, <see cref="bool"/>, <see cref="TimeSpan"/>, enums, and their nullable forms), lists of whole
/// numbers (such as status codes), and lists of exception types (such as <c>RecordExceptions</c>).
/// </summary>
/// <remarks>
/// <para>Values are read as Resilience4j's Spring Boot properties read them: durations as <c>500ms</c>, <c>10s</c>,
/// <c>PT10S</c> or <c>00:00:05</c>, a bare number being <b>milliseconds</b>; enum values by name, ignoring case (numbers
/// are refused); exception types by full or assembly-qualified name, such as <c>System.TimeoutException</c>. A list from
/// configuration replaces the list of the options, as an instance's setting replaces its base's. Delegates are set by
/// code only, so they are not settings.</para>
/// </remarks>
public sealed class ResilienceSettings
{
    private readonly Type _optionsType;
    private readonly Dictionary<string, PropertyInfo> _settings;

    private ResilienceSettings(Type optionsType, string description, Dictionary<string, PropertyInfo> settings)
    {
        _optionsType = optionsType;
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

    /// <summary>Gets the names of the settings.</summary>
    internal IEnumerable<string> SettingNames => _settings.Keys;

    /// <summary>Gets the settings of <typeparamref name="TOptions"/>.</summary>
    /// <typeparam name="TOptions">The options type.</typeparam>
    /// <param name="description">What the settings configure, for messages, such as <c>"a circuit breaker"</c>.</param>
    /// <returns>The settings.</returns>
    public static ResilienceSettings Create<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TOptions>(string description)
        where TOptions : class
    {
        ArgumentException.ThrowIfNullOrEmpty(description);
        var settings = new Dictionary<string, PropertyInfo>(StringComparer.OrdinalIgnoreCase);
        foreach (PropertyInfo property in typeof(TOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            bool settable = property.SetMethod is { IsPublic: true } && SettingValue.IsBindable(property.PropertyType);
            bool typeList = property.PropertyType == typeof(IList<Type>) && property.GetMethod is { IsPublic: true };
            if (settable || typeList)
            {
                settings[property.Name] = property;
            }
        }

        return new ResilienceSettings(typeof(TOptions), description, settings);
    }

    /// <summary>
    /// Sets the settings that <paramref name="section"/> holds on <paramref name="options"/>. A key that is not a
    /// setting, and a value that does not convert, are left alone: the validation reports them, with their keys.
    /// </summary>
    /// <param name="section">An instance's or a configuration's section, such as <c>Resilience:CircuitBreaker:Instances:payments</c>.</param>
    /// <param name="options">The options to set, of the type these settings were created for.</param>
    public void Bind(IConfigurationSection section, object options)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(options);
        if (!_optionsType.IsInstanceOfType(options))
        {
            throw new ArgumentException($"The options must be {_optionsType.Name}, the type these settings were created for.", nameof(options));
        }

        foreach (IConfigurationSection child in section.GetChildren())
        {
            if (_settings.TryGetValue(child.Key, out PropertyInfo? property) && SettingValue.TryRead(child, property.PropertyType, out object? value, out _))
            {
                if (property.PropertyType == typeof(IList<Type>))
                {
                    if (value is null)
                    {
                        continue; // null or {}: no value, the list stays as it is
                    }

                    var types = (IList<Type>)property.GetValue(options)!;
                    types.Clear();
                    foreach (Type type in (List<Type>)value!)
                    {
                        types.Add(type);
                    }
                }
                else
                {
                    property.SetValue(options, value);
                }
            }
        }
    }

    /// <summary>Gets the type of the setting named <paramref name="key"/> (case-insensitive), if there is one.</summary>
    internal bool TryGetType(string key, [NotNullWhen(true)] out Type? type)
    {
        type = _settings.TryGetValue(key, out PropertyInfo? property) ? property.PropertyType : null;
        return type is not null;
    }
}
