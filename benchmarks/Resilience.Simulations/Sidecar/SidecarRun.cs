using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Resilience.Routing;
using Yarp.ReverseProxy.Configuration;

namespace Resilience.Simulations.Sidecar;

/// <summary>
/// The "no sidecar hop" measurement, on loopback in one process: A calls B (three Kestrel instances) at a fixed rate,
/// once through a YARP proxy balancing with <c>PowerOfTwoChoices</c> (standing in for a sidecar), once directly with
/// <c>AddEndpointRouting</c> balancing with <c>LeastRequest</c> (two choices).
/// </summary>
/// <remarks>
/// Latency is the client's (a <see cref="Stopwatch"/> around each <c>GetAsync</c>, from the moment it is sent; the
/// sender is open-loop, paced by the schedule, not by the answers). CPU time is the process's, divided by the requests:
/// it includes A, the three B instances and, in the proxy run, the proxy. B's work is the same in both runs, so the
/// difference between the rows is the hop (the proxy's server side, its forwarding and its second connection) net of
/// the routing handler's own cost.
/// </remarks>
public static class SidecarRun
{
    private const int Rate = 500;

    /// <summary>The measured time of each round in the committed run.</summary>
    public static readonly TimeSpan DefaultMeasured = TimeSpan.FromSeconds(10);

    /// <summary>Runs the measurement (about a minute with the default 10 s rounds) and renders it as markdown.</summary>
    /// <param name="log">Where progress is written.</param>
    /// <param name="measured">How long each round sends; the warm-up sends for a third of it.</param>
    /// <returns>The markdown.</returns>
    public static async Task<string> RunAsync(TextWriter log, TimeSpan measured)
    {
        ArgumentNullException.ThrowIfNull(log);
        TimeSpan warmUp = measured / 3;
        var apps = new List<WebApplication>();
        try
        {
            var b = new string[3];
            for (int i = 0; i < b.Length; i++)
            {
                WebApplication server = Server();
                server.MapGet("/work", static () => Results.Text("ok"));
                b[i] = await StartAsync(server, apps).ConfigureAwait(false);
            }

            var destinations = new Dictionary<string, DestinationConfig>();
            for (int i = 0; i < b.Length; i++)
            {
                destinations[string.Create(CultureInfo.InvariantCulture, $"b{i}")] = new DestinationConfig { Address = b[i] };
            }

            WebApplication proxy = Server(services => services.AddReverseProxy().LoadFromMemory(
                [new RouteConfig { RouteId = "b", ClusterId = "b", Match = new RouteMatch { Path = "{**catch-all}" } }],
                [new ClusterConfig { ClusterId = "b", LoadBalancingPolicy = "PowerOfTwoChoices", Destinations = destinations }]));
            proxy.MapReverseProxy();
            string proxyAddress = await StartAsync(proxy, apps).ConfigureAwait(false);

            var settings = new Dictionary<string, string?>();
            for (int i = 0; i < b.Length; i++)
            {
                settings[string.Create(CultureInfo.InvariantCulture, $"Services:b:http:{i}")] = b[i];
            }

            var services = new ServiceCollection();
            services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
            services.AddHttpClient("proxy", client => client.BaseAddress = new Uri(proxyAddress));
            services.AddHttpClient("direct", static client => client.BaseAddress = new Uri("http://b"))
                .AddEndpointRouting(static o => o.Policy = LoadBalancingPolicies.LeastRequest);
            await using ServiceProvider provider = services.BuildServiceProvider();
            var factory = provider.GetRequiredService<IHttpClientFactory>();
            HttpClient direct = factory.CreateClient("direct");
            HttpClient viaProxy = factory.CreateClient("proxy");

            log.WriteLine("warming up");
            await MeasureAsync(direct, warmUp).ConfigureAwait(false);
            await MeasureAsync(viaProxy, warmUp).ConfigureAwait(false);
            var rows = new List<(string Row, Measurement Result)>();
            for (int round = 1; round <= 2; round++)
            {
                foreach ((string name, HttpClient http) in new[] { ("A → B direct (AddEndpointRouting, LeastRequest)", direct), ("A → YARP proxy → B (PowerOfTwoChoices)", viaProxy) })
                {
                    log.WriteLine($"round {round}: {name}");
                    rows.Add(($"{name}, round {round}", await MeasureAsync(http, measured).ConfigureAwait(false)));
                }
            }

            return Markdown(rows, measured, warmUp);
        }
        finally
        {
            foreach (WebApplication app in apps)
            {
                await app.StopAsync().ConfigureAwait(false);
                await app.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static WebApplication Server(Action<IServiceCollection>? configure = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(static o => o.Listen(IPAddress.Loopback, 0));
        configure?.Invoke(builder.Services);
        return builder.Build();
    }

    private static async Task<string> StartAsync(WebApplication app, List<WebApplication> started)
    {
        await app.StartAsync().ConfigureAwait(false);
        started.Add(app);
        return app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
    }

    /// <summary>Sends <see cref="Rate"/> requests a second for <paramref name="duration"/>, each on its schedule, and waits for every answer.</summary>
    private static async Task<Measurement> MeasureAsync(HttpClient http, TimeSpan duration)
    {
        int count = (int)(Rate * duration.TotalSeconds);
        var latencies = new long[count];
        var sends = new Task<bool>[count];
        TimeSpan cpuBefore = CpuTime();
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < count; i++)
        {
            long due = start + (i * Stopwatch.Frequency / Rate);
            TimeSpan wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait).ConfigureAwait(false);
            }

            sends[i] = SendAsync(http, latencies, i);
        }

        bool[] ok = await Task.WhenAll(sends).ConfigureAwait(false);
        TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
        TimeSpan cpu = CpuTime() - cpuBefore;
        Array.Sort(latencies);
        return new Measurement(
            count,
            ok.Count(static s => !s),
            count / elapsed.TotalSeconds,
            Stopwatch.GetElapsedTime(0, latencies[(count / 2) - 1]),
            Stopwatch.GetElapsedTime(0, latencies[(int)Math.Ceiling(count * 0.99) - 1]),
            cpu / count);
    }

    private static async Task<bool> SendAsync(HttpClient http, long[] latencies, int i)
    {
        long start = Stopwatch.GetTimestamp();
        try
        {
            using HttpResponseMessage response = await http.GetAsync(new Uri("/work", UriKind.Relative)).ConfigureAwait(false);
            await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        finally
        {
            latencies[i] = Stopwatch.GetTimestamp() - start;
        }
    }

    private static TimeSpan CpuTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    private static string Markdown(List<(string Row, Measurement Result)> rows, TimeSpan measured, TimeSpan warmUp)
    {
        var text = new StringBuilder();
        text.AppendLine("# No sidecar hop")
            .AppendLine()
            .AppendLine("Generated by `dotnet run -c Release --project benchmarks/Resilience.Simulations -- sidecar`: one process on loopback, three Kestrel instances of B answering `GET /work` with `ok`; "
                + Invariant($"A sends {Rate} requests/s for {measured.TotalSeconds:0} s after a {warmUp.TotalSeconds:0.#} s warm-up, open loop (each request at its time, not after the previous answer), in two alternating rounds. ")
                + "Through the proxy: YARP 2.3 (`MapReverseProxy`, one cluster of the three instances, `PowerOfTwoChoices`) in its own Kestrel, standing in for a sidecar. Direct: `AddEndpointRouting` with `LeastRequest` (two choices) over the same three instances.")
            .AppendLine()
            .AppendLine(Invariant($"Machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}, load average at start {LoadAverage()}."))
            .AppendLine()
            .AppendLine("| Path | Requests | Errors | Achieved rate | p50 | p99 | CPU per request |")
            .AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach ((string row, Measurement m) in rows)
        {
            text.AppendLine(Invariant($"| {row} | {m.Requests} | {m.Errors} | {m.Rate:0} /s | {m.P50.TotalMilliseconds:0.000} ms | {m.P99.TotalMilliseconds:0.000} ms | {m.CpuPerRequest.TotalMicroseconds:0} µs |"));
        }

        text.AppendLine()
            .AppendLine("Latency: a `Stopwatch` around each call, client-side, from the moment it is sent. CPU per request: the process's CPU time over the round divided by its requests; it includes A, the three B instances and, through the proxy, the proxy. B's share is the same in both rows, so the difference is the hop's cost net of the routing handler's.");
        return text.ToString();
    }

    private static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed record Measurement(int Requests, int Errors, double Rate, TimeSpan P50, TimeSpan P99, TimeSpan CpuPerRequest);
}
