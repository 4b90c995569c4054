using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Resilience.DependencyInjection;

/// <summary>
/// Finds the configured instances that nothing reads (see <see cref="ResilienceConfigurationRoot"/>) and logs them in
/// one warning, once per container, when the host starts.
/// </summary>
internal sealed partial class UnusedInstances(IEnumerable<ResilienceConfigurationClaim> claims, ILoggerFactory? loggerFactory)
{
    /// <summary>The category of the warning.</summary>
    public const string LoggerCategory = "Resilience.DependencyInjection";

    private static readonly string[] Primitives =
    [
        ResilienceConfiguration.CircuitBreaker, ResilienceConfiguration.Retry, ResilienceConfiguration.TimeLimiter,
        ResilienceConfiguration.Bulkhead, ResilienceConfiguration.ThreadPoolBulkhead, ResilienceConfiguration.RateLimiter,
    ];

    private readonly ResilienceConfigurationClaim[] _claims = [.. claims];
    private int _reported;

    /// <summary>Logs the instances of <paramref name="roots"/> that nothing reads, the first time only.</summary>
    /// <param name="roots">Each root read, with whether an instance no claim names may still be read.</param>
    public void ReportOnce(IEnumerable<(IConfiguration Root, bool MayReadAny)> roots)
    {
        if (loggerFactory is null || Interlocked.Exchange(ref _reported, 1) == 1)
        {
            return;
        }

        List<string> unused = Find(roots);
        if (unused.Count > 0)
        {
            LogUnused(loggerFactory.CreateLogger(LoggerCategory), string.Join("; ", unused));
        }
    }

    /// <summary>The keys of the instances nothing reads, each with the nearest claimed name.</summary>
    public List<string> Find(IEnumerable<(IConfiguration Root, bool MayReadAny)> roots)
    {
        var unused = new List<string>();
        foreach ((IConfiguration root, bool mayReadAny) in roots)
        {
            foreach (string primitive in Primitives)
            {
                string[] claimed = [.. _claims.Where(c => string.Equals(c.Primitive, primitive, StringComparison.Ordinal)).Select(static c => c.InstanceName)];
                foreach (IConfigurationSection instance in root.GetSection(primitive).GetSection(ResilienceConfiguration.Instances).GetChildren())
                {
                    if (claimed.Contains(instance.Key, StringComparer.OrdinalIgnoreCase))
                    {
                        continue;
                    }

                    string? nearest = NameSuggestion.Nearest(instance.Key, claimed);
                    if (nearest is not null)
                    {
                        unused.Add($"{instance.Path} (did you mean `{nearest}`?)");
                    }
                    else if (!mayReadAny)
                    {
                        unused.Add(instance.Path);
                    }
                }
            }
        }

        return unused;
    }

    [LoggerMessage(
        EventId = 1,
        Level = LogLevel.Warning,
        Message = "Configured resilience instances that nothing reads: {Instances}. An HTTP client reads the instances named after it ({{client}}, and {{client}}-total for its total time limit); AddResilience creates each instance of its section in the registries, where code gets it by name.")]
    private static partial void LogUnused(ILogger logger, string instances);
}
