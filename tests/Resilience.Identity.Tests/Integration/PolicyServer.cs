using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resilience.DependencyInjection;

namespace Resilience.Identity.Tests.Integration;

/// <summary>
/// Kestrel on a loopback port with a workload identity, mutual TLS, and authorization policies read from a JSON file
/// that is reloaded when it changes: every request allowed answers the caller's <c>spiffe_id</c> claim.
/// </summary>
internal sealed class PolicyServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private PolicyServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<PolicyServer> StartAsync(WorkloadIdentityOptions files, string policyFile)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddJsonFile(policyFile, optional: false, reloadOnChange: true);
        // <zero-trust-server>
        builder.Services.AddWorkloadIdentity(o =>
        {
            o.CertificateFile = files.CertificateFile;
            o.KeyFile = files.KeyFile;
            o.TrustBundleFile = files.TrustBundleFile;
        });
        builder.Services.AddAuthentication(WorkloadIdentityAuthenticationBuilderExtensions.AuthenticationScheme).AddWorkloadIdentity();
        builder.Services.AddWorkloadAuthorization(builder.Configuration.GetSection("Authorization"));
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseWorkloadIdentity()));
        WebApplication app = builder.Build();
        app.UseAuthentication();        // the caller's SPIFFE ID, from its client certificate, becomes a claim
        app.UseWorkloadAuthorization(); // then the policies decide: 403, or on to the endpoints
        // </zero-trust-server>
        app.Run(static context => context.Response.WriteAsync(context.User.FindFirst(SpiffeId.ClaimType)?.Value ?? "(none)"));
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new PolicyServer(app, new Uri(address + "/"));
    }

    /// <summary>Completes once the policies in force have changed (after a valid reload), bounded by <paramref name="timeout"/>.</summary>
    public async Task WhenPoliciesChangeAsync(Func<Task> change, TimeSpan timeout)
    {
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Listeners run in the order they were added: the middleware's snapshot is swapped before this one runs.
        using IDisposable subscription = _app.Services.GetRequiredService<LastGoodOptions>()
            .Follow<WorkloadAuthorizationOptions>(Options.DefaultName)
            .OnChange(_ => changed.TrySetResult());
        await change();
        await changed.Task.WaitAsync(timeout);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
