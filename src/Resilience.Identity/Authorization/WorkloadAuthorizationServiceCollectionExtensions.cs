using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Resilience.DependencyInjection;
using Resilience.Identity;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the authorization policies that <c>app.UseWorkloadAuthorization()</c> enforces.</summary>
/// <remarks>
/// The policies are the unnamed <see cref="WorkloadAuthorizationOptions"/>, validated at start (the host fails to
/// start with every problem listed, each naming its full configuration key) and on every reload. A valid reload takes
/// effect on the next request; an invalid one is logged at Error (category <c>Resilience.Configuration</c>) and counted
/// while the last valid policies stay in force.
/// </remarks>
public static class WorkloadAuthorizationServiceCollectionExtensions
{
    /// <summary>Registers authorization policies bound from <paramref name="section"/>, reloaded when it changes.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="section">The section holding <c>Policies</c>, such as <c>Authorization</c>; an unknown key in it is an error.</param>
    /// <returns>The same <paramref name="services"/>.</returns>
    public static IServiceCollection AddWorkloadAuthorization(this IServiceCollection services, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        WorkloadAuthorizationValidation validation = Register(services);
        services.Configure<WorkloadAuthorizationOptions>(options => AuthorizationConfigurationBinder.Bind(section, options));
        services.AddSingleton<IOptionsChangeTokenSource<WorkloadAuthorizationOptions>>(new ConfigurationChangeTokenSource<WorkloadAuthorizationOptions>(section));
        validation.KeyPrefix = section.Path + ConfigurationPath.KeyDelimiter;
        return services;
    }

    /// <summary>Registers authorization policies set by <paramref name="configure"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Adds the policies.</param>
    /// <returns>The same <paramref name="services"/>.</returns>
    public static IServiceCollection AddWorkloadAuthorization(this IServiceCollection services, Action<WorkloadAuthorizationOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        Register(services);
        services.Configure(configure);
        return services;
    }

    private static WorkloadAuthorizationValidation Register(IServiceCollection services)
    {
        services.TryAddSingleton<LastGoodOptions>();
        services.TryAddSingleton<WorkloadAuthorization>();
        foreach (ServiceDescriptor descriptor in services)
        {
            if (descriptor.ServiceType == typeof(IValidateOptions<WorkloadAuthorizationOptions>)
                && !descriptor.IsKeyedService
                && descriptor.ImplementationInstance is WorkloadAuthorizationValidation existing)
            {
                return existing;
            }
        }

        var validation = new WorkloadAuthorizationValidation();
        services.AddSingleton<IValidateOptions<WorkloadAuthorizationOptions>>(validation);
        services.AddOptions<WorkloadAuthorizationOptions>().ValidateOnStart();
        return validation;
    }
}

/// <summary>Validates the unnamed <see cref="WorkloadAuthorizationOptions"/>.</summary>
internal sealed class WorkloadAuthorizationValidation : IValidateOptions<WorkloadAuthorizationOptions>
{
    /// <summary>Gets or sets what precedes <c>Policies</c> in messages: the bound section's path, once one is bound.</summary>
    public string KeyPrefix { get; set; } = AuthorizationOptionsValidator.CodeKeyPrefix;

    public ValidateOptionsResult Validate(string? name, WorkloadAuthorizationOptions options)
    {
        if (!string.Equals(name, Options.Options.DefaultName, StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Skip;
        }

        List<string> errors = AuthorizationOptionsValidator.GetErrors(options, KeyPrefix);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
