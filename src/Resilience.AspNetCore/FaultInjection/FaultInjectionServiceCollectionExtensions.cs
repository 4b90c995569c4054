using Microsoft.Extensions.Configuration;
using Resilience.Http;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the options of the fault injection middleware added by <c>app.UseFaultInjection()</c>.</summary>
/// <remarks>
/// The options are the unnamed <see cref="FaultInjectionOptions"/>, validated at start and on every reload. A valid
/// reload takes effect on the next request; an invalid one is logged at Error and counted while the last valid options
/// stay in force (see <c>LastGoodOptions</c> in Resilience.DependencyInjection).
/// </remarks>
public static class FaultInjectionServiceCollectionExtensions
{
    /// <summary>Registers fault injection options bound from <paramref name="section"/>, reloaded when it changes.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="section">The configuration section; an unknown key in it is an error.</param>
    /// <returns>The same <paramref name="services"/>.</returns>
    public static IServiceCollection AddFaultInjection(this IServiceCollection services, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        services.AddFaultInjectionOptions(Options.Options.DefaultName, section, null);
        return services;
    }

    /// <summary>Registers fault injection options set by <paramref name="configure"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The same <paramref name="services"/>.</returns>
    public static IServiceCollection AddFaultInjection(this IServiceCollection services, Action<FaultInjectionOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddFaultInjectionOptions(Options.Options.DefaultName, null, configure);
        return services;
    }
}
