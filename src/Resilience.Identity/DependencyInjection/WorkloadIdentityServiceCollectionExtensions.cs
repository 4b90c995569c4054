using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resilience.Identity;
using Resilience.Identity.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers this workload's identity: its files, validated at start and watched, and <see cref="WorkloadIdentityProvider"/>.</summary>
public static class WorkloadIdentityServiceCollectionExtensions
{
    /// <summary>
    /// Reads this workload's identity from the PEM files named by <paramref name="configuration"/> (unknown keys are
    /// errors), validated at start and read again when they change.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The section, such as <c>configuration.GetSection("Identity")</c>; validation messages name its keys.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddWorkloadIdentity(this IServiceCollection services, IConfigurationSection configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        AddCore(services, configuration.Path + ConfigurationPath.KeyDelimiter)
            .Bind(configuration, static binder => binder.ErrorOnUnknownConfiguration = true);
        return services;
    }

    /// <summary>Reads this workload's identity from the PEM files set by <paramref name="configure"/>, validated at start and read again when they change.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the file paths.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddWorkloadIdentity(this IServiceCollection services, Action<WorkloadIdentityOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        AddCore(services, WorkloadIdentityOptionsValidator.CodeKeyPrefix).Configure(configure);
        return services;
    }

    private static OptionsBuilder<WorkloadIdentityOptions> AddCore(IServiceCollection services, string keyPrefix)
    {
        ArgumentNullException.ThrowIfNull(services);
        OptionsBuilder<WorkloadIdentityOptions> options = services.AddOptions<WorkloadIdentityOptions>();
        if (services.Any(static d => d.ServiceType == typeof(IdentityFileWatcher)))
        {
            return options;
        }

        options.ValidateOnStart();
        services.AddLogging();
        services.AddSingleton<IValidateOptions<WorkloadIdentityOptions>>(sp =>
            new WorkloadIdentityOptionsValidator(sp.GetService<TimeProvider>() ?? TimeProvider.System) { KeyPrefix = keyPrefix });
        services.AddSingleton(sp => new IdentityFileWatcher(
            sp.GetRequiredService<IOptions<WorkloadIdentityOptions>>().Value,
            keyPrefix,
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger(IdentityLog.Category)));
        services.AddSingleton(static sp => sp.GetRequiredService<IdentityFileWatcher>().Provider);
        return options;
    }
}
