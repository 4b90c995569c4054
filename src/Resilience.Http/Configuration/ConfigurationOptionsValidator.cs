using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Resilience.DependencyInjection;
using Resilience.Http.DependencyInjection;

namespace Resilience.Http.Configuration;

/// <summary>A validator of the options of one registration, found by the key of its <see cref="OptionsScope"/>.</summary>
internal interface INamedOptionsValidator
{
    /// <summary>Gets the key of the options scope this validator checks.</summary>
    string Name { get; }
}

/// <summary>
/// Validates the options of one registration bound from configuration, naming the configuration keys in every
/// message (see <see cref="ResilienceConfigurationValidator{TOptions}"/>), for each options name of its scope.
/// </summary>
/// <typeparam name="TOptions">The options type.</typeparam>
internal sealed class ConfigurationOptionsValidator<TOptions> : IValidateOptions<TOptions>, INamedOptionsValidator
    where TOptions : class
{
    private readonly OptionsScope _scope;
    private readonly ResilienceConfigurationValidator<TOptions> _validator;

    /// <summary>Creates the validator of the options of <paramref name="scope"/>.</summary>
    /// <param name="scope">The options names validated.</param>
    /// <param name="root">The root of the Resilience4j-shaped configuration.</param>
    /// <param name="layersOf">The layers read for a client, given its name.</param>
    public ConfigurationOptionsValidator(OptionsScope scope, IConfiguration root, Func<string, IReadOnlyList<ResilienceConfigurationLayer<TOptions>>> layersOf)
    {
        _scope = scope;
        _validator = new ResilienceConfigurationValidator<TOptions>(root, name => scope.Matches(name) ? layersOf(scope.ClientOf(name)) : null);
    }

    /// <inheritdoc/>
    public string Name => _scope.Key;

    /// <summary>Runs the binding of the options named <paramref name="optionsName"/>, recording what does not convert for the validation.</summary>
    public void Bind(string optionsName, Action bind) => _validator.Bind(optionsName, bind);

    public ValidateOptionsResult Validate(string? name, TOptions options) => _validator.Validate(name, options);
}
