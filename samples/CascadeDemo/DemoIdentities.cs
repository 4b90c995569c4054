using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Resilience.Identity;

namespace CascadeDemo;

/// <summary>
/// The workload identities of <c>--mtls</c>: a development CA, one identity per service account written to PEM files
/// in a temporary folder (deleted on <see cref="Dispose"/>), and clients that present them.
/// </summary>
/// <remarks>
/// Both chains share the files: a service account has one identity, whichever chain its instance runs in. The load
/// generator is a workload too (<c>load-generator</c>), since Order (A) requires a client certificate like the others.
/// </remarks>
internal sealed class DemoIdentities : IDisposable
{
    /// <summary>The service account of the load generator.</summary>
    public const string LoadGenerator = "load-generator";

    /// <summary>The service account the demo calls Pricing (C) with directly, which Pricing's policy refuses.</summary>
    public const string DirectCaller = "order";

    private const string TrustDomain = "cluster.local";
    private const string Namespace = "default";
    private static readonly string[] ServiceAccounts = ["order", "inventory", "pricing", "warehouse", LoadGenerator];

    private readonly string _directory;
    private readonly List<ServiceProvider> _clients = [];

    private DemoIdentities(string directory) => _directory = directory;

    /// <summary>Creates a development CA and writes the identity of every service account.</summary>
    public static DemoIdentities Create()
    {
        var identities = new DemoIdentities(Directory.CreateTempSubdirectory("cascade-demo-mtls-").FullName);
        using var ca = DevelopmentCertificateAuthority.Create(TrustDomain);
        foreach (string account in ServiceAccounts)
        {
            DevelopmentCertificateAuthority.WriteFiles(ca.Issue(Namespace, account), identities.Folder(account));
        }

        return identities;
    }

    /// <summary>The SPIFFE ID of a service account, such as <c>spiffe://cluster.local/ns/default/sa/pricing</c>.</summary>
    public static string SpiffeId(string serviceAccount) => $"spiffe://{TrustDomain}/ns/{Namespace}/sa/{serviceAccount}";

    /// <summary>The configuration keys of a service's identity files: <c>Identity:CertificateFile</c> and so on.</summary>
    public IEnumerable<KeyValuePair<string, string?>> Configuration(string serviceAccount)
    {
        string folder = Folder(serviceAccount);
        yield return new("Identity:CertificateFile", Path.Combine(folder, DevelopmentCertificateAuthority.CertificateFileName));
        yield return new("Identity:KeyFile", Path.Combine(folder, DevelopmentCertificateAuthority.KeyFileName));
        yield return new("Identity:TrustBundleFile", Path.Combine(folder, DevelopmentCertificateAuthority.TrustBundleFileName));
    }

    /// <summary>A handler that presents <paramref name="serviceAccount"/>'s identity and accepts only <paramref name="serverAccount"/>.</summary>
    public HttpMessageHandler CreateHandler(string serviceAccount, string serverAccount)
    {
        var services = new ServiceCollection();
        services.AddWorkloadIdentity(o =>
        {
            string folder = Folder(serviceAccount);
            o.CertificateFile = Path.Combine(folder, DevelopmentCertificateAuthority.CertificateFileName);
            o.KeyFile = Path.Combine(folder, DevelopmentCertificateAuthority.KeyFileName);
            o.TrustBundleFile = Path.Combine(folder, DevelopmentCertificateAuthority.TrustBundleFileName);
        });
        services.AddHttpClient(serviceAccount).AddWorkloadIdentity(SpiffeId(serverAccount));
        ServiceProvider provider = services.BuildServiceProvider();
        lock (_clients)
        {
            _clients.Add(provider);
        }

        return provider.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(serviceAccount);
    }

    /// <summary>
    /// Calls Pricing (C) at <paramref name="pricing"/> directly with the identity of <see cref="DirectCaller"/>, then
    /// with Inventory's, and returns the status codes (0 for no answer).
    /// </summary>
    public async Task<MutualTlsCheck> CallPricingDirectlyAsync(Uri pricing, CancellationToken cancellationToken)
    {
        HttpStatusCode order = await StatusAsync(DirectCaller, pricing, cancellationToken).ConfigureAwait(false);
        HttpStatusCode inventory = await StatusAsync("inventory", pricing, cancellationToken).ConfigureAwait(false);
        return new MutualTlsCheck((int)order, (int)inventory);
    }

    /// <summary>Stops the clients and deletes the identity files.</summary>
    public void Dispose()
    {
        foreach (ServiceProvider client in _clients)
        {
            client.Dispose();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file watcher may still hold the folder for a moment; the system cleans its temporary folder.
        }
    }

    private string Folder(string serviceAccount) => Path.Combine(_directory, serviceAccount);

    private async Task<HttpStatusCode> StatusAsync(string serviceAccount, Uri pricing, CancellationToken cancellationToken)
    {
        using var client = new HttpClient(CreateHandler(serviceAccount, "pricing")) { BaseAddress = pricing, Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            using HttpResponseMessage response = await client.GetAsync("prices/1", cancellationToken).ConfigureAwait(false);
            return response.StatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return 0; // refused at the handshake, or no answer in time
        }
    }
}
