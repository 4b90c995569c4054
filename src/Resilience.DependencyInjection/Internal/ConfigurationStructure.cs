using Microsoft.Extensions.Configuration;

namespace Resilience.DependencyInjection;

/// <summary>
/// Checks the keys above the settings of a Resilience4j-shaped configuration:
/// <c>{Primitive}:{Configs|Instances}:{name}</c>, each level an object. The settings themselves are checked by the
/// validator of whatever reads the entry.
/// </summary>
internal static class ConfigurationStructure
{
    private static readonly (string Name, ResilienceSettings Settings)[] Primitives =
    [
        (ResilienceConfiguration.Bulkhead, ResilienceSettings.Bulkhead),
        (ResilienceConfiguration.CircuitBreaker, ResilienceSettings.CircuitBreaker),
        (ResilienceConfiguration.RateLimiter, ResilienceSettings.RateLimiter),
        (ResilienceConfiguration.Retry, ResilienceSettings.Retry),
        (ResilienceConfiguration.ThreadPoolBulkhead, ResilienceSettings.ThreadPoolBulkhead),
        (ResilienceConfiguration.TimeLimiter, ResilienceSettings.TimeLimiter),
    ];

    private static readonly string[] Levels = [ResilienceConfiguration.Configs, ResilienceConfiguration.Instances];

    /// <summary>Adds a message for every key of <paramref name="root"/> that is not where the shape allows it.</summary>
    public static void Check(IConfiguration root, List<string> errors)
    {
        foreach (IConfigurationSection primitive in root.GetChildren())
        {
            int index = Array.FindIndex(Primitives, p => string.Equals(p.Name, primitive.Key, StringComparison.OrdinalIgnoreCase));
            if (index < 0)
            {
                string names = string.Join(", ", Primitives.Select(static p => p.Name));
                errors.Add($"{primitive.Path} is not a section of the resilience configuration.{NameSuggestion.DidYouMean(primitive.Key, Primitives.Select(static p => p.Name))} The sections are: {names}.");
                continue;
            }

            if (NotAnObject(primitive, $"an object with {ResilienceConfiguration.Configs} and {ResilienceConfiguration.Instances}", errors))
            {
                continue;
            }

            foreach (IConfigurationSection level in primitive.GetChildren())
            {
                CheckLevel(level, Primitives[index].Settings, errors);
            }
        }
    }

    private static void CheckLevel(IConfigurationSection level, ResilienceSettings settings, List<string> errors)
    {
        string? known = Array.Find(Levels, l => string.Equals(l, level.Key, StringComparison.OrdinalIgnoreCase));
        if (known is null)
        {
            string parent = level.Path[..^level.Key.Length];
            string hint = settings.TryGetType(level.Key, out _) ? $" A setting belongs to an instance or a configuration: {parent}Instances:{{name}}:{level.Key}."
                : NameSuggestion.Nearest(level.Key, Levels) is not null ? NameSuggestion.DidYouMean(level.Key, Levels)
                : level.Value is null ? $" An instance belongs under {parent}Instances:{level.Key}."
                : string.Empty;
            errors.Add($"{level.Path} is not {ResilienceConfiguration.Configs} or {ResilienceConfiguration.Instances}, the levels of a primitive's section.{hint}");
            return;
        }

        string what = known == ResilienceConfiguration.Configs ? "configurations" : "instances";
        if (NotAnObject(level, $"an object of named {what}, such as {{ \"payments\": {{ … }} }}", errors))
        {
            return;
        }

        foreach (IConfigurationSection entry in level.GetChildren())
        {
            NotAnObject(entry, $"an object of the settings of {settings.Description}", errors);
        }
    }

    /// <summary>Reports a section that holds a value (a string, a number, <c>""</c> or <c>[]</c>) where an object belongs; <c>{ }</c> and <c>null</c> are empty objects.</summary>
    private static bool NotAnObject(IConfigurationSection section, string expected, List<string> errors)
    {
        if (section.Value is null)
        {
            return false;
        }

        string value = section.Value.Length == 0 ? "an empty string or an empty list" : $"'{section.Value}'";
        errors.Add($"{section.Path} is {value}, but it must be {expected}.");
        return true;
    }
}
