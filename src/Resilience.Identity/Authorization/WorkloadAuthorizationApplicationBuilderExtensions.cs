using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Resilience.Identity;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds the enforcement of workload authorization policies to an application's request pipeline.</summary>
public static class WorkloadAuthorizationApplicationBuilderExtensions
{
    /// <summary>
    /// Adds middleware that decides every request with the policies registered by
    /// <c>services.AddWorkloadAuthorization</c>, in Istio's order, and answers a denied one with 403.
    /// </summary>
    /// <param name="app">The application builder.</param>
    /// <returns>The same <paramref name="app"/>.</returns>
    /// <remarks>
    /// The caller is read from the <see cref="SpiffeId.ClaimType"/> claim of <c>HttpContext.User</c>, so the middleware
    /// that sets it (the mutual TLS server side) must come first. Requests answered by middleware added before this one
    /// are not authorized.
    /// </remarks>
    /// <exception cref="InvalidOperationException"><c>services.AddWorkloadAuthorization</c> was not called.</exception>
    public static IApplicationBuilder UseWorkloadAuthorization(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        IServiceProvider services = app.ApplicationServices;
        if (services.GetService<IServiceProviderIsService>()?.IsService(typeof(WorkloadAuthorization)) != true)
        {
            throw new InvalidOperationException(
                "Workload authorization has no policies: call services.AddWorkloadAuthorization(...) before app.UseWorkloadAuthorization().");
        }

        // Followed when the pipeline is built, after the host has validated the policies at start.
        return app.Use(next => new WorkloadAuthorizationMiddleware(
            next,
            services.GetRequiredService<WorkloadAuthorization>(),
            services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).InvokeAsync);
    }
}
