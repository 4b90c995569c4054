using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Resilience.AspNetCore;
using Resilience.DependencyInjection;
using Resilience.Http;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds the fault injection middleware to an application's request pipeline.</summary>
public static class FaultInjectionApplicationBuilderExtensions
{
    /// <summary>
    /// Adds middleware that delays and aborts a share of the requests that reach it, as the options registered with
    /// <c>services.AddFaultInjection</c> say.
    /// </summary>
    /// <param name="app">The application builder.</param>
    /// <returns>The same <paramref name="app"/>.</returns>
    /// <remarks>
    /// Requests handled by middleware added before this one are never faulted. Delays are measured with the
    /// <see cref="TimeProvider"/> registered in the container, or with <see cref="TimeProvider.System"/> when there is none.
    /// </remarks>
    /// <exception cref="InvalidOperationException"><c>services.AddFaultInjection</c> was not called.</exception>
    public static IApplicationBuilder UseFaultInjection(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        IServiceProvider services = app.ApplicationServices;
        if (!services.HasFaultInjectionOptions(Options.DefaultName))
        {
            throw new InvalidOperationException(
                "Fault injection has no options: call services.AddFaultInjection(...) before app.UseFaultInjection().");
        }

        TimeProvider timeProvider = services.GetService<TimeProvider>() ?? TimeProvider.System;

        // Followed when the pipeline is built, after the host has validated the options at start.
        return app.Use(next =>
        {
            LastGoodOptionsMonitor<FaultInjectionOptions> options = services.GetRequiredService<LastGoodOptions>().Follow<FaultInjectionOptions>(Options.DefaultName);
            return new FaultInjectionMiddleware(next, () => options.CurrentValue, timeProvider).InvokeAsync;
        });
    }
}
