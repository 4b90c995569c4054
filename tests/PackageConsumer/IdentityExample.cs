using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Resilience.Identity;

namespace PackageConsumer;

/// <summary>Resilience4Net.Identity: a development identity written to files and loaded as the workload's identity.</summary>
internal static class IdentityExample
{
    /// <summary>Issues an identity for the service account <c>inventory</c>, loads it from its files, and returns the ID the host reads.</summary>
    public static async Task<string> LoadAsync(string directory)
    {
        using DevelopmentCertificateAuthority authority = DevelopmentCertificateAuthority.Create("cluster.local");
        WorkloadIdentityOptions files = DevelopmentCertificateAuthority.WriteFiles(authority.Issue("default", "inventory"), directory);

        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddWorkloadIdentity(options =>
        {
            options.CertificateFile = files.CertificateFile;
            options.KeyFile = files.KeyFile;
            options.TrustBundleFile = files.TrustBundleFile;
        });
        using IHost host = builder.Build();
        await host.StartAsync();
        string id = host.Services.GetRequiredService<WorkloadIdentityProvider>().Current.Id.Value;
        await host.StopAsync();
        return id;
    }
}
