using Microsoft.Extensions.Configuration;
using Resilience.DependencyInjection;
using Resilience.Http;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds fault injection (delays and aborts) to an <see cref="HttpClient"/> built by <c>IHttpClientFactory</c>.</summary>
/// <remarks>
/// <para>
/// The options are the named <see cref="FaultInjectionOptions"/> whose name is the client's name. They are validated
/// at start and on every reload; a valid reload takes effect on the next request, and an invalid one is logged at
/// Error and counted while the last valid options stay in force (see <c>LastGoodOptions</c> in
/// Resilience.DependencyInjection). Requests read the options in force with one volatile read.
/// </para>
/// <para>
/// The handler takes its place in the pipeline where <c>AddFaultInjection</c> is first called for the client; calling
/// it again adds configuration, not a second handler. Call it after the resilience handlers so that they see the
/// injected faults. Delays are measured with the <see cref="TimeProvider"/> registered in the container, or with
/// <see cref="TimeProvider.System"/> when there is none.
/// </para>
/// </remarks>
public static class FaultInjectionHttpClientBuilderExtensions
{
    /// <summary>Adds fault injection with the options registered for the client's name; the defaults inject nothing.</summary>
    /// <param name="builder">The client's builder.</param>
    /// <returns>The same <paramref name="builder"/>.</returns>
    public static IHttpClientBuilder AddFaultInjection(this IHttpClientBuilder builder) => AddFaultInjectionCore(builder, null, null);

    /// <summary>Adds fault injection with options bound from <paramref name="section"/>, reloaded when it changes.</summary>
    /// <param name="builder">The client's builder.</param>
    /// <param name="section">The configuration section; an unknown key in it is an error.</param>
    /// <returns>The same <paramref name="builder"/>.</returns>
    public static IHttpClientBuilder AddFaultInjection(this IHttpClientBuilder builder, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        return AddFaultInjectionCore(builder, section, null);
    }

    /// <summary>Adds fault injection with options set by <paramref name="configure"/>.</summary>
    /// <param name="builder">The client's builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The same <paramref name="builder"/>.</returns>
    public static IHttpClientBuilder AddFaultInjection(this IHttpClientBuilder builder, Action<FaultInjectionOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddFaultInjectionCore(builder, null, configure);
    }

    private static IHttpClientBuilder AddFaultInjectionCore(IHttpClientBuilder builder, IConfigurationSection? section, Action<FaultInjectionOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        string name = builder.Name;
        FaultInjectionOptionsValidation.Register(builder.Services, name, section, configure);
        return builder.ConfigureAdditionalHttpMessageHandlers((handlers, services) =>
        {
            if (handlers.Any(static h => h is FaultInjectionHandler))
            {
                return;
            }

            LastGoodOptionsMonitor<FaultInjectionOptions> options = services.GetRequiredService<LastGoodOptions>().Follow<FaultInjectionOptions>(name);
            TimeProvider timeProvider = services.GetService<TimeProvider>() ?? TimeProvider.System;
            handlers.Add(new FaultInjectionHandler(() => options.CurrentValue, timeProvider));
        });
    }
}
