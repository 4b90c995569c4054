using Microsoft.Extensions.Configuration;

namespace Resilience.DependencyInjection;

/// <summary>
/// The configurations an instance or a configuration starts from, followed through each one's <c>BaseConfig</c> as
/// Resilience4j follows them, and what is wrong with the chain: a missing configuration, or a cycle (a self-reference
/// is a cycle of one).
/// </summary>
/// <param name="Sections">The base sections, farthest first, as far as the chain resolves.</param>
/// <param name="Problem">What is wrong with the chain, starting with the key of the <c>BaseConfig</c> that starts it; <see langword="null"/> when it is sound.</param>
internal sealed record BaseChain(IReadOnlyList<IConfigurationSection> Sections, string? Problem)
{
    /// <summary>
    /// Follows the chain of <paramref name="entry"/>, an instance (<paramref name="isInstance"/>), which without
    /// <c>BaseConfig</c> starts from <c>default</c> when it exists, or a configuration, which has a base only when it names one.
    /// </summary>
    public static BaseChain Of(IConfiguration root, string primitive, IConfigurationSection entry, bool isInstance)
    {
        IConfigurationSection configs = root.GetSection(primitive).GetSection(ResilienceConfiguration.Configs);
        var sections = new List<IConfigurationSection>();
        var names = new List<string> { entry.Key };
        string? next = entry[ResilienceConfiguration.BaseConfig];
        bool implicitDefault = false;
        if (string.IsNullOrEmpty(next))
        {
            if (!isInstance || !configs.GetSection(ResilienceConfiguration.DefaultConfig).Exists())
            {
                return new BaseChain(sections, null);
            }

            next = ResilienceConfiguration.DefaultConfig; // the implicit base of an instance
            implicitDefault = true;
        }

        string first = next;
        while (!string.IsNullOrEmpty(next))
        {
            // An instance's name is not a configuration's: only the configurations of the chain can repeat.
            bool cycle = names.Skip(isInstance ? 1 : 0).Contains(next, StringComparer.OrdinalIgnoreCase);
            names.Add(next);
            string path = $"{entry.Path}:{ResilienceConfiguration.BaseConfig}";
            if (cycle)
            {
                string kind = names.Count == 2 ? "names itself" : "comes back on itself";
                return new BaseChain(Reverse(sections), implicitDefault ? null : $"{path} is '{first}', but the chain {string.Join(" → ", names)} {kind}: a BaseConfig chain must end at a configuration without BaseConfig.");
            }

            IConfigurationSection section = configs.GetSection(next);
            if (!Listed(configs, next))
            {
                string chain = names.Count > 2 ? $" (chain {string.Join(" → ", names)})" : string.Empty;
                string suggestion = NameSuggestion.DidYouMean(next, configs.GetChildren().Select(static c => c.Key));
                return new BaseChain(Reverse(sections), implicitDefault ? null : $"{path} is '{first}', but no configuration named '{next}' exists under {configs.Path}{chain}.{suggestion}");
            }

            sections.Add(section);
            next = section[ResilienceConfiguration.BaseConfig];
        }

        return new BaseChain(Reverse(sections), null);
    }

    private static List<IConfigurationSection> Reverse(List<IConfigurationSection> sections)
    {
        sections.Reverse();
        return sections;
    }

    /// <summary>Whether the configuration is listed: an empty one (<c>"slow": { }</c>) is listed without existing.</summary>
    private static bool Listed(IConfigurationSection configs, string name) =>
        configs.GetChildren().Any(c => string.Equals(c.Key, name, StringComparison.OrdinalIgnoreCase));
}
