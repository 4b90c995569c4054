using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Resilience.Identity;

namespace Resilience.Benchmarks;

/// <summary>
/// The latency of one GET over a kept-alive connection to an in-process Kestrel on loopback: plain HTTP (the bare
/// baseline), TLS with a server certificate only, and mutual TLS with workload identities on both sides
/// (<c>AddWorkloadIdentity</c> on the client, <c>UseWorkloadIdentity()</c> on the endpoint). Issue 17 §5's closing note
/// compares mutual TLS with plain TLS.
/// </summary>
/// <remarks>
/// <para>One Kestrel serves three loopback endpoints, HTTP/1.1 only, each answering the same 2-byte body from the same
/// pipeline. The certificates come from the development CA, written to files in a temporary folder: the server's
/// (<c>pricing</c>) serves both TLS endpoints, the client's (<c>order</c>) is presented on the mutual one.</para>
/// <para>Each client is created once and warmed in the setup, so every measured call reuses an open connection: the
/// handshakes (where mutual TLS does its extra work, the client certificate and the SPIFFE ID checks) are not in the
/// numbers, only the per-request cost of TLS records and of each side's handlers. The plain TLS client checks the
/// server's chain against the development root, as a client that trusts a private CA does.</para>
/// </remarks>
[MemoryDiagnoser]
public class MutualTlsBenchmark
{
    private const string Pricing = "spiffe://cluster.local/ns/default/sa/pricing";

    private DirectoryInfo _directory = null!;
    private X509Certificate2 _serverCertificate = null!;
    private WebApplication _server = null!;
    private ServiceProvider _clientServices = null!;
    private HttpClient _plainHttp = null!;
    private HttpClient _tls = null!;
    private HttpClient _mutualTls = null!;
    private Uri _plainHttpAddress = null!;
    private Uri _tlsAddress = null!;
    private Uri _mutualTlsAddress = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _directory = Directory.CreateTempSubdirectory("resilience-mtls-benchmark-");
        using var ca = DevelopmentCertificateAuthority.Create("cluster.local");
        WorkloadIdentity server = ca.Issue("default", "pricing");
        WorkloadIdentityOptions serverFiles = DevelopmentCertificateAuthority.WriteFiles(server, Path.Combine(_directory.FullName, "pricing"));
        WorkloadIdentityOptions clientFiles = DevelopmentCertificateAuthority.WriteFiles(ca.Issue("default", "order"), Path.Combine(_directory.FullName, "order"));
        // A PKCS#12 round trip gives the plain TLS endpoint a key that SslStream accepts on every platform.
        _serverCertificate = X509CertificateLoader.LoadPkcs12(server.Certificate.Export(X509ContentType.Pkcs12), password: null);
        X509Certificate2 root = X509CertificateLoader.LoadCertificate(ca.RootCertificate.RawData);

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddWorkloadIdentity(o =>
        {
            o.CertificateFile = serverFiles.CertificateFile;
            o.KeyFile = serverFiles.KeyFile;
            o.TrustBundleFile = serverFiles.TrustBundleFile;
        });
        ListenOptions plainHttp = null!, tls = null!, mutualTls = null!;
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                plainHttp = listen;
            });
            k.Listen(IPAddress.Loopback, 0, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                listen.UseHttps(_serverCertificate);
                tls = listen;
            });
            k.Listen(IPAddress.Loopback, 0, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                listen.UseWorkloadIdentity();
                mutualTls = listen;
            });
        });
        _server = builder.Build();
        _server.Run(static context => context.Response.WriteAsync("ok"));
        await _server.StartAsync();
        // Once bound, each endpoint's options hold the port the system gave it.
        _plainHttpAddress = new Uri($"http://127.0.0.1:{plainHttp.IPEndPoint!.Port}/");
        _tlsAddress = new Uri($"https://127.0.0.1:{tls.IPEndPoint!.Port}/");
        _mutualTlsAddress = new Uri($"https://127.0.0.1:{mutualTls.IPEndPoint!.Port}/");

        _plainHttp = new HttpClient(new SocketsHttpHandler());
        _tls = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) => ChainsTo(root, certificate),
            },
        });

        var services = new ServiceCollection();
        services.AddWorkloadIdentity(o =>
        {
            o.CertificateFile = clientFiles.CertificateFile;
            o.KeyFile = clientFiles.KeyFile;
            o.TrustBundleFile = clientFiles.TrustBundleFile;
        });
        services.AddHttpClient("pricing").AddWorkloadIdentity(Pricing);
        _clientServices = services.BuildServiceProvider();
        _mutualTls = _clientServices.GetRequiredService<IHttpClientFactory>().CreateClient("pricing");

        // Open each connection and check that every variant answers.
        for (int i = 0; i < 100; i++)
        {
            await GetAsync(_plainHttp, _plainHttpAddress);
            await GetAsync(_tls, _tlsAddress);
            await GetAsync(_mutualTls, _mutualTlsAddress);
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _plainHttp.Dispose();
        _tls.Dispose();
        _mutualTls.Dispose();
        await _clientServices.DisposeAsync();
        await _server.StopAsync();
        await _server.DisposeAsync();
        _serverCertificate.Dispose();
        try
        {
            _directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A file watcher may still hold the folder for a moment; the system cleans its temporary folder.
        }
    }

    [Benchmark(Baseline = true)]
    public Task<HttpStatusCode> PlainHttp() => GetAsync(_plainHttp, _plainHttpAddress);

    [Benchmark]
    public Task<HttpStatusCode> Tls() => GetAsync(_tls, _tlsAddress);

    [Benchmark]
    public Task<HttpStatusCode> MutualTls() => GetAsync(_mutualTls, _mutualTlsAddress);

    private static async Task<HttpStatusCode> GetAsync(HttpClient client, Uri address)
    {
        using HttpResponseMessage response = await client.GetAsync(address).ConfigureAwait(false);
        return response.StatusCode == HttpStatusCode.OK
            ? response.StatusCode
            : throw new InvalidOperationException($"GET {address} answered {(int)response.StatusCode}.");
    }

    /// <summary>Whether <paramref name="certificate"/> chains to <paramref name="root"/> alone, not to the machine's store.</summary>
    private static bool ChainsTo(X509Certificate2 root, X509Certificate? certificate)
    {
        if (certificate is not X509Certificate2 leaf)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(leaf);
    }
}
