using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Resilience.DependencyInjection;

/// <summary>
/// The configuration sections given to <c>AddResilience</c> in one container, each with the validator that reports
/// its problems at their keys and records what its binding could not convert.
/// </summary>
internal sealed class ResilienceConfigurationSources(ClaimSet claims)
{
    private readonly Lock _gate = new();
    private readonly List<(IConfiguration Root, ResilienceConfigurationValidator<ResilienceOptions> Validator)> _sources = [];

    public ClaimSet Claims => claims;

    /// <summary>Gets the sections bound so far, in the order of their registration's first binding.</summary>
    public IReadOnlyList<(IConfiguration Root, ResilienceConfigurationValidator<ResilienceOptions> Validator)> Sources
    {
        get
        {
            lock (_gate)
            {
                return [.. _sources];
            }
        }
    }

    /// <summary>Gets the validator of <paramref name="root"/>, creating it at first use.</summary>
    public ResilienceConfigurationValidator<ResilienceOptions> ValidatorOf(IConfiguration root)
    {
        lock (_gate)
        {
            foreach ((IConfiguration known, ResilienceConfigurationValidator<ResilienceOptions> validator) in _sources)
            {
                if (ReferenceEquals(known, root))
                {
                    return validator;
                }
            }

            var created = new ResilienceConfigurationValidator<ResilienceOptions>(root, name => name == Options.DefaultName ? ResilienceOptionsLayers.Of(root, claims) : null);
            _sources.Add((root, created));
            return created;
        }
    }

    /// <summary>Whether any section holds <c>{primitive}:{kind}:{name}</c>, whose problems its validator reports.</summary>
    public bool Holds(string primitive, string kind, string name)
    {
        foreach ((IConfiguration root, _) in Sources)
        {
            // Not Exists(): an empty instance ("payments": { }) is listed, and bound, without existing.
            foreach (IConfigurationSection entry in root.GetSection(primitive).GetSection(kind).GetChildren())
            {
                if (string.Equals(entry.Key, name, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }
}

/// <summary>Binds <see cref="ResilienceOptions"/> from one configuration section, recording what does not convert for the validation.</summary>
internal sealed class ResilienceSectionSetup(IConfiguration root, ResilienceConfigurationSources sources) : IConfigureNamedOptions<ResilienceOptions>
{
    public void Configure(string? name, ResilienceOptions options)
    {
        if (string.Equals(name ?? Options.DefaultName, Options.DefaultName, StringComparison.Ordinal))
        {
            sources.ValidatorOf(root).Bind(Options.DefaultName, () => ResilienceOptionsBinder.Bind(root, options, sources.Claims));
        }
    }

    public void Configure(ResilienceOptions options) => Configure(Options.DefaultName, options);
}

/// <summary>
/// Validates <see cref="ResilienceOptions"/>: the shape of every configuration section a front-end reads (see
/// <see cref="ResilienceConfigurationRoot"/>), each section given to <c>AddResilience</c> with the keys named in every message, then
/// the options that code set and no section holds, named by the key they would have, such as
/// <c>CircuitBreaker:Instances:payments:FailureRateThreshold is 150, but …</c>.
/// </summary>
internal sealed class ResilienceOptionsValidator(ResilienceConfigurationSources sources, IEnumerable<ResilienceConfigurationRoot> roots, UnusedInstances unused) : IValidateOptions<ResilienceOptions>
{
    public ValidateOptionsResult Validate(string? name, ResilienceOptions options)
    {
        if (!string.Equals(name ?? Options.DefaultName, Options.DefaultName, StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Skip;
        }

        var errors = new List<string>();
        var checkedRoots = new List<IConfiguration>();
        foreach (IConfiguration root in sources.Sources.Select(static s => s.Root).Concat(roots.Select(static r => r.Configuration)))
        {
            if (!checkedRoots.Contains(root))
            {
                checkedRoots.Add(root);
                ConfigurationStructure.Check(root, errors);
            }
        }

        foreach ((_, ResilienceConfigurationValidator<ResilienceOptions> validator) in sources.Sources)
        {
            if (validator.Validate(name, options) is { Failed: true } result)
            {
                errors.AddRange(result.Failures);
            }
        }

        ResilienceOptionsLayers.ValidateCode(options, sources, errors);
        if (errors.Count == 0)
        {
            // Once, at the first valid options: when the host starts, with the start-up validation.
            // AddResilience creates every instance of its section (found by path: the same section may be given as two objects).
            List<string> bound = [.. sources.Sources.Select(static s => PathOf(s.Root))];
            unused.ReportOnce(checkedRoots.Select(root => (root, bound.Contains(PathOf(root), StringComparer.OrdinalIgnoreCase)
                || roots.Any(r => r.NamesKnownLater && ReferenceEquals(r.Configuration, root)))));
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors.Distinct(StringComparer.Ordinal));
    }

    private static string PathOf(IConfiguration configuration) => configuration is IConfigurationSection section ? section.Path : string.Empty;
}
