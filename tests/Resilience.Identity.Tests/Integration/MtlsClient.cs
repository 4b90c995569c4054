using Microsoft.Extensions.DependencyInjection;

namespace Resilience.Identity.Tests.Integration;

/// <summary>
/// A service provider with a workload identity and one client, with a retry, that pins a server ID or (made by
/// <see cref="Unpinned"/>) expects the ID a handler in front of it puts on each request, as discovery's handlers do
/// with the chosen endpoint's.
/// </summary>
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

    private MtlsClient(ServiceProvider services) => _services = services;

    public WorkloadIdentityProvider Identity => _services.GetRequiredService<WorkloadIdentityProvider>();

    public HttpClient Create() => _services.GetRequiredService<IHttpClientFactory>().CreateClient(Name);

    public void Dispose() => _services.Dispose();

    /// <summary>A client without a pin whose attempts carry <paramref name="registered"/> as <see cref="Resilience.Http.ExpectedServerIdentity"/>.</summary>
    public static MtlsClient Unpinned(WorkloadIdentityOptions files, Uri baseAddress, string? registered)
    {
        var services = new ServiceCollection();
        services.AddWorkloadIdentity(o =>
        {
            o.CertificateFile = files.CertificateFile;
            o.KeyFile = files.KeyFile;
            o.TrustBundleFile = files.TrustBundleFile;
        });
        services.AddHttpClient(Name, c => c.BaseAddress = baseAddress)
            .AddRetry("pricing", o => o.WaitDuration = TimeSpan.FromMilliseconds(10))
            .AddHttpMessageHandler(() => new RegisteredIdentity(registered))
            .AddWorkloadIdentity();
        return new MtlsClient(services.BuildServiceProvider());
    }

    /// <summary>Puts an identity on each attempt, as the endpoint-resolution and endpoint-routing handlers do with the chosen endpoint's.</summary>
    private sealed class RegisteredIdentity(string? identity) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Resilience.Http.ExpectedServerIdentity.Set(request, identity);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
