using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Resilience.Http;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers and finds named <see cref="FaultInjectionOptions"/>, for front-ends other than HttpClient (the server middleware, an interceptor of your own).</summary>
public static class FaultInjectionOptionsExtensions
{
    /// <summary>
    /// Registers the options named <paramref name="name"/>: bound from <paramref name="section"/> (unknown keys are
    /// errors) and/or configured by <paramref name="configure"/>, validated at start and on every reload, with messages
    /// that name the full configuration key.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The options name; <see cref="Options.Options.DefaultName"/> for a server's unnamed options.</param>
    /// <param name="section">The configuration section, or <see langword="null"/>.</param>
    /// <param name="configure">Sets the options, or <see langword="null"/>.</param>
    /// <returns>The same <paramref name="services"/>.</returns>
    /// <remarks>Registering the same name again adds configuration, not a second validator.</remarks>
    public static IServiceCollection AddFaultInjectionOptions(this IServiceCollection services, string name, IConfigurationSection? section, Action<FaultInjectionOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(name);
        FaultInjectionOptionsValidation.Register(services, name, section, configure);
        return services;
    }

    /// <summary>Gets whether <see cref="AddFaultInjectionOptions"/> registered options named <paramref name="name"/>.</summary>
    /// <param name="services">The built service provider.</param>
    /// <param name="name">The options name.</param>
    /// <returns><see langword="true"/> if they were registered.</returns>
    public static bool HasFaultInjectionOptions(this IServiceProvider services, string name)
    {
        ArgumentNullException.ThrowIfNull(services);
        return FaultInjectionOptionsValidation.IsRegistered(services.GetServices<IValidateOptions<FaultInjectionOptions>>(), name);
    }
}
