using Microsoft.Extensions.DependencyInjection;

namespace Resilience.Identity.Tests.Integration;

/// <summary>A service provider with a workload identity and one client that expects a given server ID, with a retry.</summary>
internal sealed class MtlsClient : IDisposable
{
    public const string Name = "pricing";

    private readonly ServiceProvider _services;

    public MtlsClient(WorkloadIdentityOptions files, Uri baseAddress, string expectedServerId)
    {
        var services = new ServiceCollection();
        // <client>
        services.AddWorkloadIdentity(o =>
        {
            o.CertificateFile = files.CertificateFile;
            o.KeyFile = files.KeyFile;
            o.TrustBundleFile = files.TrustBundleFile;
        });
        services.AddHttpClient(Name, c => c.BaseAddress = baseAddress)
            .AddRetry("pricing", o => o.WaitDuration = TimeSpan.FromMilliseconds(10))
            .AddWorkloadIdentity(expectedServerId);
        // </client>
        _services = services.BuildServiceProvider();
    }

    public WorkloadIdentityProvider Identity => _services.GetRequiredService<WorkloadIdentityProvider>();

    public HttpClient Create() => _services.GetRequiredService<IHttpClientFactory>().CreateClient(Name);

    public void Dispose() => _services.Dispose();
}
