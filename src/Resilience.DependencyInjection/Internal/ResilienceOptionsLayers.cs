using Microsoft.Extensions.Configuration;

namespace Resilience.DependencyInjection;

/// <summary>What <see cref="ResilienceOptions"/> are validated against: every configuration and instance of every primitive.</summary>
internal static class ResilienceOptionsLayers
{
    /// <summary>The layers of a configuration section: each configuration, and each instance that no front-end claims.</summary>
    public static List<ResilienceConfigurationLayer<ResilienceOptions>> Of(IConfiguration root, ClaimSet claims)
    {
        var layers = new List<ResilienceConfigurationLayer<ResilienceOptions>>();
        Add(layers, root, claims, ResilienceConfiguration.CircuitBreaker, ResilienceSettings.CircuitBreaker, static o => o.CircuitBreaker, PrimitiveValidation.Validate);
        Add(layers, root, claims, ResilienceConfiguration.Retry, ResilienceSettings.Retry, static o => o.Retry, PrimitiveValidation.Validate);
        Add(layers, root, claims, ResilienceConfiguration.TimeLimiter, ResilienceSettings.TimeLimiter, static o => o.TimeLimiter, PrimitiveValidation.Validate);
        Add(layers, root, claims, ResilienceConfiguration.Bulkhead, ResilienceSettings.Bulkhead, static o => o.Bulkhead, PrimitiveValidation.Validate);
        Add(layers, root, claims, ResilienceConfiguration.ThreadPoolBulkhead, ResilienceSettings.ThreadPoolBulkhead, static o => o.ThreadPoolBulkhead, PrimitiveValidation.Validate);
        Add(layers, root, claims, ResilienceConfiguration.RateLimiter, ResilienceSettings.RateLimiter, static o => o.RateLimiter, PrimitiveValidation.Validate);
        return layers;
    }

    /// <summary>Validates the options that no configuration section holds: those set by code.</summary>
    public static void ValidateCode(ResilienceOptions options, ResilienceConfigurationSources sources, List<string> errors)
    {
        ValidateCode(options.CircuitBreaker, ResilienceConfiguration.CircuitBreaker, ResilienceSettings.CircuitBreaker, PrimitiveValidation.Validate, sources, errors);
        ValidateCode(options.Retry, ResilienceConfiguration.Retry, ResilienceSettings.Retry, PrimitiveValidation.Validate, sources, errors);
        ValidateCode(options.TimeLimiter, ResilienceConfiguration.TimeLimiter, ResilienceSettings.TimeLimiter, PrimitiveValidation.Validate, sources, errors);
        ValidateCode(options.Bulkhead, ResilienceConfiguration.Bulkhead, ResilienceSettings.Bulkhead, PrimitiveValidation.Validate, sources, errors);
        ValidateCode(options.ThreadPoolBulkhead, ResilienceConfiguration.ThreadPoolBulkhead, ResilienceSettings.ThreadPoolBulkhead, PrimitiveValidation.Validate, sources, errors);
        ValidateCode(options.RateLimiter, ResilienceConfiguration.RateLimiter, ResilienceSettings.RateLimiter, PrimitiveValidation.Validate, sources, errors);
    }

    private static void Add<TOptions>(
        List<ResilienceConfigurationLayer<ResilienceOptions>> layers,
        IConfiguration root,
        ClaimSet claims,
        string primitive,
        ResilienceSettings settings,
        Func<ResilienceOptions, ResilienceRegistryOptions<TOptions>> select,
        Action<TOptions> validate)
        where TOptions : class
    {
        IConfigurationSection section = root.GetSection(primitive);
        foreach (IConfigurationSection configuration in section.GetSection(ResilienceConfiguration.Configs).GetChildren())
        {
            string name = configuration.Key;
            layers.Add(ResilienceConfigurationLayer<ResilienceOptions>.Configuration(primitive, name, settings, o =>
            {
                if (select(o).Configs.TryGetValue(name, out TOptions? options) && options is not null)
                {
                    validate(options);
                }
            }));
        }

        foreach (IConfigurationSection instance in section.GetSection(ResilienceConfiguration.Instances).GetChildren())
        {
            string name = instance.Key;
            if (!claims.IsClaimed(primitive, name))
            {
                layers.Add(new ResilienceConfigurationLayer<ResilienceOptions>(primitive, name, settings, o =>
                {
                    if (select(o).Instances.TryGetValue(name, out TOptions? options) && options is not null)
                    {
                        validate(options);
                    }
                }));
            }
        }
    }

    private static void ValidateCode<TOptions>(ResilienceRegistryOptions<TOptions> options, string primitive, ResilienceSettings settings, Action<TOptions> validate, ResilienceConfigurationSources sources, List<string> errors)
        where TOptions : class
    {
        ValidateEntries(options.Configs, primitive, ResilienceConfiguration.Configs, settings, validate, sources, errors);
        ValidateEntries(options.Instances, primitive, ResilienceConfiguration.Instances, settings, validate, sources, errors);
    }

    private static void ValidateEntries<TOptions>(IDictionary<string, TOptions> entries, string primitive, string kind, ResilienceSettings settings, Action<TOptions> validate, ResilienceConfigurationSources sources, List<string> errors)
        where TOptions : class
    {
        foreach (KeyValuePair<string, TOptions> entry in entries)
        {
            string path = $"{primitive}:{kind}:{entry.Key}";
            if (entry.Value is null)
            {
                errors.Add($"{path} has no options; set them or remove the entry.");
                continue;
            }

            if (sources.Holds(primitive, kind, entry.Key))
            {
                continue; // reported, at its keys, by the validator of the section that holds it
            }

            try
            {
                validate(entry.Value);
            }
            catch (ArgumentException ex)
            {
                errors.AddRange(ConfigurationChecks.AtPath(ex, settings, path));
            }
        }
    }
}
