using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Resilience.DependencyInjection;

/// <summary>
/// Validates options bound from the Resilience4j-shaped configuration, naming the configuration key in every message:
/// unknown keys, a <c>BaseConfig</c> that names no configuration, values that do not convert, and values out of range
/// (named at the key that holds them, in the instance or in its base configuration).
/// </summary>
/// <typeparam name="TOptions">The options type.</typeparam>
/// <remarks>
/// <para>Register it as an <see cref="IValidateOptions{TOptions}"/> and bind the options through <see cref="Bind"/>,
/// so that a value the configuration binder cannot convert is reported with the other problems instead of throwing
/// from the binding. Every problem is reported, each once, for example
/// <c>Resilience:CircuitBreaker:Instances:inventory:FailureRateThreshold is 150, but it must be greater than 0 and at most 100 (percent).</c>
/// A value that does not convert is not bound, and the ranges of the others are still checked.</para>
/// <para><c>AddResilience</c> validates its registries this way; Resilience.Http validates its clients' options with it.</para>
/// </remarks>
public sealed class ResilienceConfigurationValidator<TOptions> : IValidateOptions<TOptions>
    where TOptions : class
{
    private readonly IConfiguration _configuration;
    private readonly Func<string, IReadOnlyList<ResilienceConfigurationLayer<TOptions>>?> _layersOf;

    // Per options name: one validator may serve many names (a registration for every HTTP client), bound at once.
    private readonly ConcurrentDictionary<string, string> _bindingErrors = new(StringComparer.Ordinal);

    /// <summary>Initializes a new instance of the <see cref="ResilienceConfigurationValidator{TOptions}"/> class.</summary>
    /// <param name="configuration">The root of the Resilience4j-shaped configuration, such as <c>configuration.GetSection("Resilience")</c>.</param>
    /// <param name="layersOf">
    /// Gets the layers the options of a name are read from, or <see langword="null"/> when this validator does not
    /// validate the options of that name (the validation is then skipped).
    /// </param>
    public ResilienceConfigurationValidator(IConfiguration configuration, Func<string, IReadOnlyList<ResilienceConfigurationLayer<TOptions>>?> layersOf)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(layersOf);
        _configuration = configuration;
        _layersOf = layersOf;
    }

    /// <summary>
    /// Runs <paramref name="bind"/>, the binding of the options named <paramref name="optionsName"/>, and records a value
    /// the binder could not convert instead of throwing, so that <see cref="Validate"/> reports it.
    /// </summary>
    /// <param name="optionsName">The name of the options bound.</param>
    /// <param name="bind">The binding.</param>
    public void Bind(string optionsName, Action bind)
    {
        ArgumentNullException.ThrowIfNull(optionsName);
        ArgumentNullException.ThrowIfNull(bind);
        try
        {
            bind();
            _bindingErrors.TryRemove(optionsName, out _);
        }
        catch (InvalidOperationException ex)
        {
            _bindingErrors[optionsName] = ex.Message;
        }
    }

    /// <summary>Validates the options of one name.</summary>
    /// <param name="name">The options name; <see langword="null"/> for <see cref="Options.DefaultName"/>.</param>
    /// <param name="options">The options.</param>
    /// <returns>Every problem found, or <see cref="ValidateOptionsResult.Skip"/> for options this validator does not validate.</returns>
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        name ??= Options.DefaultName;
        if (_layersOf(name) is not { } layers)
        {
            return ValidateOptionsResult.Skip;
        }

        var errors = new List<string>();
        bool converted = true;
        foreach (ResilienceConfigurationLayer<TOptions> layer in layers)
        {
            if (!layer.OnlyWhenPresent || ResilienceConfiguration.GetInstanceSection(_configuration, layer.Primitive, layer.InstanceName).Exists())
            {
                converted &= ConfigurationChecks.CheckLayer(_configuration, layer, errors);
            }
        }

        if (converted && _bindingErrors.TryGetValue(name, out string? bindingError))
        {
            // A conversion the checks above did not foresee; the binder's own message names the key.
            errors.Add(bindingError);
        }

        // A value that does not convert is left unbound, so the ranges of the others are still checked: every problem at once.
        foreach (ResilienceConfigurationLayer<TOptions> layer in layers)
        {
            try
            {
                layer.Validate(options);
            }
            catch (ArgumentException ex)
            {
                errors.AddRange(ConfigurationChecks.AtKey(ex, _configuration, layer));
            }
        }

        // A base configuration shared by several layers would report its problems once per layer.
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors.Distinct(StringComparer.Ordinal));
    }
}
