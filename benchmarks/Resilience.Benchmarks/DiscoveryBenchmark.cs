using System.Net;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Resilience.Benchmarks;

/// <summary>
/// The added cost of resolving a logical name on every request: one successful GET through an <see cref="HttpClient"/>
/// from <c>IHttpClientFactory</c> whose base address is a fixed address (the baseline), or <c>http://inventory</c>
/// resolved from configuration by our <c>AddEndpointResolution()</c>, or by Microsoft.Extensions.ServiceDiscovery's
/// own <c>AddServiceDiscovery()</c> handler. The innermost handler answers in memory and synchronously.
/// </summary>
/// <remarks>
/// All clients come from one service provider, and both resolving clients read the same
/// <c>Services:inventory:http:0</c> through the same <c>ServiceEndpointResolver</c>; the setup resolves the name
/// before the measurement, so the numbers are those of a resolved request. Every variant builds the same request
/// address from its base address and allocates the same response. No resilience handler is added: the difference
/// from <see cref="Fixed"/> is the resolution alone.
/// </remarks>
[MemoryDiagnoser]
public class DiscoveryBenchmark
{
    /// <summary>The relative address of every request.</summary>
    private const string Path = "stock/7";

    /// <summary>The one instance of <c>inventory</c>, which the in-memory handler checks every request was sent to.</summary>
    private static readonly Uri Instance = new("http://10.0.0.1:8080/");

    /// <summary>Whether the in-memory handler checks each request's address: in the setup only, since reading the parts of a new <see cref="Uri"/> allocates.</summary>
    private static volatile bool s_checkAddress;

    private ServiceProvider _services = null!;
    private HttpClient _fixed = null!;
    private HttpClient _ours = null!;
    private HttpClient _microsoft = null!;

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Services:inventory:http:0"] = Instance.ToString(),
        }).Build());
        services.AddHttpClient("fixed", static c => c.BaseAddress = Instance)
            .ConfigurePrimaryHttpMessageHandler(static () => new InMemoryHandler());
        services.AddHttpClient("ours", static c => c.BaseAddress = new Uri("http://inventory/"))
            .ConfigurePrimaryHttpMessageHandler(static () => new InMemoryHandler())
            .AddEndpointResolution();
        services.AddHttpClient("microsoft", static c => c.BaseAddress = new Uri("http://inventory/"))
            .ConfigurePrimaryHttpMessageHandler(static () => new InMemoryHandler())
            .AddServiceDiscovery();
        _services = services.BuildServiceProvider();

        IHttpClientFactory factory = _services.GetRequiredService<IHttpClientFactory>();
        _fixed = factory.CreateClient("fixed");
        _ours = factory.CreateClient("ours");
        _microsoft = factory.CreateClient("microsoft");

        // Resolve the name, warm every pipeline, and check that each request reached the instance.
        s_checkAddress = true;
        for (int i = 0; i < 200; i++)
        {
            foreach (HttpClient client in (HttpClient[])[_fixed, _ours, _microsoft])
            {
                using HttpResponseMessage response = client.GetAsync(Path).GetAwaiter().GetResult();
                Workload.Expect(response.StatusCode == HttpStatusCode.OK, "every client should reach http://10.0.0.1:8080/stock/7");
            }
        }

        s_checkAddress = false;
    }

    /// <summary>Disposes the container asynchronously: M.E.ServiceDiscovery's resolver is only <see cref="IAsyncDisposable"/>.</summary>
    [GlobalCleanup]
    public void Cleanup() => _services.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true)]
    public async Task Fixed()
    {
        using HttpResponseMessage response = await _fixed.GetAsync(Path).ConfigureAwait(false);
    }

    [Benchmark]
    public async Task ResolvedOurs()
    {
        using HttpResponseMessage response = await _ours.GetAsync(Path).ConfigureAwait(false);
    }

    [Benchmark]
    public async Task ResolvedMicrosoft()
    {
        using HttpResponseMessage response = await _microsoft.GetAsync(Path).ConfigureAwait(false);
    }

    /// <summary>The innermost handler: a new 200 response; 500 when checking and the request did not go to <see cref="Instance"/>.</summary>
    private sealed class InMemoryHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(Send(request, cancellationToken));

        protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
            new(!s_checkAddress || request.RequestUri is { Host: "10.0.0.1", Port: 8080, AbsolutePath: "/stock/7" } ? HttpStatusCode.OK : HttpStatusCode.InternalServerError);
    }
}
