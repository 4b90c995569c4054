using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Resilience.Attributes.Generators;

/// <summary>
/// RES1016, opt-in: the instance names and shared configurations that the attributes name, checked against the
/// <c>appsettings*.json</c> files the project passes as <c>AdditionalFiles</c>. A name no file configures would be
/// created from the default configuration at run time, which is rarely what a typo meant.
/// </summary>
internal sealed class ConfiguredNames
{
    public const string SectionKey = "build_property.ResilienceConfigurationSection";

    private readonly HashSet<string> _paths;
    private readonly string _section;

    private ConfiguredNames(HashSet<string> paths, string section)
    {
        _paths = paths;
        _section = section;
    }

    /// <summary>Reads the settings files, or returns null when the project passes none (the check is then off).</summary>
    public static ConfiguredNames? Read(AnalyzerOptions options, System.Threading.CancellationToken cancellationToken)
    {
        var paths = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        bool any = false;
        foreach (AdditionalText file in options.AdditionalFiles)
        {
            string name = Path.GetFileName(file.Path);
            if (name.StartsWith("appsettings", StringComparison.OrdinalIgnoreCase) && name.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
                && file.GetText(cancellationToken) is { } text)
            {
                any = true;
                paths.UnionWith(JsonKeys.Read(text.ToString()));
            }
        }

        if (!any)
        {
            return null;
        }

        options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue(SectionKey, out string? section);
        return new ConfiguredNames(paths, string.IsNullOrWhiteSpace(section) ? "Resilience" : section!.Trim());
    }

    public IEnumerable<Diagnostic> Check(DecoratorPlan plan)
    {
        foreach (LayerSpec layer in plan.Methods.SelectMany(m => m.Layers).Where(l => !string.IsNullOrWhiteSpace(l.Name)))
        {
            string primitive = $"{_section}:{layer.Primitive}";
            if (layer.Configuration is not null && !string.Equals(layer.Configuration, "default", StringComparison.OrdinalIgnoreCase)
                && !_paths.Contains($"{primitive}:Configs:{layer.Configuration}"))
            {
                yield return Diagnostic.Create(Descriptors.NotConfigured, layer.Location, layer.Kind, "configuration", layer.Configuration, $"{primitive}:Configs", Nearest(primitive + ":Configs", layer.Configuration));
            }
            else if (layer.Configuration is null && !_paths.Contains($"{primitive}:Instances:{layer.Name}"))
            {
                yield return Diagnostic.Create(Descriptors.NotConfigured, layer.Location, layer.Kind, "instance", layer.Name, $"{primitive}:Instances", Nearest(primitive + ":Instances", layer.Name));
            }
        }
    }

    /// <summary>The configured name closest to a missing one, as a hint; empty when none is close.</summary>
    private string Nearest(string parent, string missing)
    {
        string prefix = parent + ":";
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string path in _paths)
        {
            if (!path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) || path.IndexOf(':', prefix.Length) >= 0)
            {
                continue;
            }

            string candidate = path.Substring(prefix.Length);
            int distance = Distance(candidate.ToLowerInvariant(), missing.ToLowerInvariant());
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        return best is not null && bestDistance <= Math.Max(2, missing.Length / 3) ? $" (did you mean '{best}'?)" : string.Empty;
    }

    private static int Distance(string a, string b)
    {
        int[] previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (int i = 1; i <= a.Length; i++)
        {
            int[] current = new int[b.Length + 1];
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
