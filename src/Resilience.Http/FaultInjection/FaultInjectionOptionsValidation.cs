using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Resilience.DependencyInjection;

namespace Resilience.Http;

/// <summary>Validates the named <see cref="FaultInjectionOptions"/> of one client (or the unnamed ones of a server).</summary>
/// <remarks>
/// When the options are bound from configuration, messages name the full configuration key, such as
/// "Faults:Warehouse:AbortPercentage is 150, …", so that the line to fix can be found; otherwise they read
/// "FaultInjectionOptions.AbortPercentage is 150, …".
/// </remarks>
internal sealed class FaultInjectionOptionsValidation : IValidateOptions<FaultInjectionOptions>
{
    private FaultInjectionOptionsValidation(string name) => Name = name;

    /// <summary>Gets the name of the options this instance validates.</summary>
    public string Name { get; }

    /// <summary>Gets what precedes an option's name in messages.</summary>
    public string KeyPrefix { get; private set; } = FaultInjectionOptionsValidator.CodeKeyPrefix;

    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, FaultInjectionOptions options)
    {
        if (!string.Equals(name, Name, StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Skip;
        }

        List<string> errors = FaultInjectionOptionsValidator.GetErrors(options, KeyPrefix);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>
    /// Registers the options named <paramref name="name"/>: bound from <paramref name="section"/> (unknown keys are
    /// errors) and/or configured by <paramref name="configure"/>, validated at start and on every reload.
    /// </summary>
    /// <remarks>
    /// Registering the same name again adds the new configuration but not a second validator, which would repeat
    /// every message. Once any registration binds a section, messages name that section's keys.
    /// </remarks>
    public static void Register(IServiceCollection services, string name, IConfigurationSection? section, Action<FaultInjectionOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        OptionsBuilder<FaultInjectionOptions> options = services.AddOptions<FaultInjectionOptions>(name);
        services.TryAddSingleton<LastGoodOptions>();
        if (section is not null)
        {
            options.Bind(section, static binder => binder.ErrorOnUnknownConfiguration = true);
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        FaultInjectionOptionsValidation? validation = Find(services, name);
        if (validation is null)
        {
            validation = new FaultInjectionOptionsValidation(name);
            services.AddSingleton<IValidateOptions<FaultInjectionOptions>>(validation);
            options.ValidateOnStart();
        }

        if (section is not null)
        {
            validation.KeyPrefix = section.Path + ConfigurationPath.KeyDelimiter;
        }
    }

    /// <summary>Whether options named <paramref name="name"/> were registered by <see cref="Register"/>.</summary>
    public static bool IsRegistered(IEnumerable<IValidateOptions<FaultInjectionOptions>> validators, string name) =>
        validators.Any(v => v is FaultInjectionOptionsValidation validation && string.Equals(validation.Name, name, StringComparison.Ordinal));

    private static FaultInjectionOptionsValidation? Find(IServiceCollection services, string name)
    {
        foreach (ServiceDescriptor descriptor in services)
        {
            if (descriptor.ServiceType == typeof(IValidateOptions<FaultInjectionOptions>)
                && !descriptor.IsKeyedService
                && descriptor.ImplementationInstance is FaultInjectionOptionsValidation validation
                && string.Equals(validation.Name, name, StringComparison.Ordinal))
            {
                return validation;
            }
        }

        return null;
    }
}
