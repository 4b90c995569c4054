using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Resilience.Http.Tests.Integration;

/// <summary>
/// A Kestrel server on a loopback port whose endpoints do what the path says, and count what they saw per path:
/// <list type="bullet">
/// <item><c>/status/{code}/{tag}[?retryAfter=s]</c> answers <c>code</c>, with <c>Retry-After: s</c> when asked.</item>
/// <item><c>/delay/{ms}/{tag}</c> answers 200 after <c>ms</c>, or records an abort when RequestAborted fires first.</item>
/// <item><c>/hold/{tag}</c> answers 200 when the test calls <see cref="ReleaseHeld"/>.</item>
/// <item><c>/abort/{tag}</c> drops the connection (<see cref="HttpContext.Abort"/>).</item>
/// <item><c>/stall/{length}/{tag}</c> answers 200 with <c>Content-Length: length</c> (or chunked for <c>chunked</c>),
/// sends 50 bytes of the body, and waits until the connection is closed, recorded as an abort.</item>
/// <item><c>/break/{n}/{tag}</c> answers the first <c>n</c> requests 200 with <c>Content-Length: 100</c>, sends 50
/// bytes and ends (Kestrel closes the connection: "Error while copying content" at the client); later requests get the 100 bytes.</item>
/// </list>
/// Every endpoint reads the whole request body first and records it.
/// </summary>
internal sealed class ScriptedServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, PathStats> _paths = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _change = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inFlight;
    private int _maxInFlight;

    private ScriptedServer(WebApplication app) => _app = app;

    /// <summary>Gets the address the server listens on.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Gets the most requests the server has had in flight at once, over all paths.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>Gets the requests in flight now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Gets a task that completes at the next arrival, abort or completion of a request; take it before checking a condition.</summary>
    public Task NextChange => Volatile.Read(ref _change).Task;

    public static async Task<ScriptedServer> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        WebApplication app = builder.Build();
        var server = new ScriptedServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.BaseAddress = new Uri(address + "/");
        await server.WarmUpAsync();
        return server;
    }

    /// <summary>
    /// Sends one request with a plain client, so that the code on both sides is compiled before a test runs: a
    /// request under a 200 ms limit then reaches the server before the limit, even on a loaded machine. Its path is
    /// one no test uses.
    /// </summary>
    private async Task WarmUpAsync()
    {
        using var client = new HttpClient { BaseAddress = BaseAddress };
        using HttpResponseMessage response = await client.GetAsync("status/200/warm-up");
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Gets what the server saw on <paramref name="path"/> (e.g. <c>/status/503/get</c>).</summary>
    public PathStats Stats(string path) => _paths.GetOrAdd(path, static _ => new PathStats());

    /// <summary>Lets every <c>/hold</c> request answer.</summary>
    public void ReleaseHeld() => _release.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        ReleaseHeld();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        string path = context.Request.Path.Value ?? string.Empty;
        PathStats stats = Stats(path);
        stats.OnArrived(Stopwatch.GetTimestamp());
        int now = Interlocked.Increment(ref _inFlight);
        Pulse();
        UpdateMax(now);
        try
        {
            try
            {
                using var reader = new StreamReader(context.Request.Body);
                stats.Bodies.Enqueue(await reader.ReadToEndAsync(context.RequestAborted));
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                // A client that gives up while its request is still being read (a short time limit on a busy machine)
                // aborted it as much as one that gives up during the endpoint's wait.
                stats.OnAborted();
                return;
            }

            string[] segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            switch (segments[0])
            {
                case "status":
                    if (context.Request.Query.TryGetValue("retryAfter", out var seconds))
                    {
                        context.Response.Headers.RetryAfter = seconds.ToString();
                    }

                    context.Response.StatusCode = int.Parse(segments[1], CultureInfo.InvariantCulture);
                    break;
                case "delay":
                    await DelayAsync(TimeSpan.FromMilliseconds(int.Parse(segments[1], CultureInfo.InvariantCulture)), stats, context);
                    break;
                case "hold":
                    await _release.Task.WaitAsync(context.RequestAborted);
                    break;
                case "abort":
                    context.Abort();
                    break;
                case "stall":
                    await StallAsync(segments[1], stats, context);
                    break;
                case "break":
                    await BreakAsync(int.Parse(segments[1], CultureInfo.InvariantCulture), stats, context);
                    break;
                default:
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    break;
            }
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
            Pulse();
        }
    }

    private static async Task DelayAsync(TimeSpan delay, PathStats stats, HttpContext context)
    {
        try
        {
            await Task.Delay(delay, context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            stats.OnAborted(); // the caller's finally block signals the change
        }
    }

    /// <summary>The body the stall and break endpoints send: 100 bytes, of which they send the first 50 and stop.</summary>
    public static readonly string Body = new('b', 100);

    private static async Task StallAsync(string length, PathStats stats, HttpContext context)
    {
        if (length != "chunked")
        {
            context.Response.ContentLength = long.Parse(length, CultureInfo.InvariantCulture);
        }

        await context.Response.Body.WriteAsync(System.Text.Encoding.ASCII.GetBytes(Body[..50]), context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            stats.OnAborted();
        }
    }

    private static async Task BreakAsync(int breaks, PathStats stats, HttpContext context)
    {
        context.Response.ContentLength = Body.Length;
        bool broken = stats.Requests <= breaks;
        await context.Response.Body.WriteAsync(System.Text.Encoding.ASCII.GetBytes(broken ? Body[..50] : Body));
        if (broken)
        {
            // Ending with fewer bytes than the Content-Length makes Kestrel close the connection after what was sent
            // (an Abort would drop the unsent headers and half body).
            await context.Response.Body.FlushAsync();
        }
    }

    private void UpdateMax(int value)
    {
        int max = Volatile.Read(ref _maxInFlight);
        while (value > max)
        {
            int seen = Interlocked.CompareExchange(ref _maxInFlight, value, max);
            if (seen == max)
            {
                return;
            }

            max = seen;
        }
    }

    /// <summary>What the server saw on one path.</summary>
    /// <summary>Completes the current <see cref="NextChange"/> and starts the next one.</summary>
    private void Pulse() => Interlocked.Exchange(ref _change, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    internal sealed class PathStats
    {
        private readonly ConcurrentQueue<long> _arrivals = new();
        private int _requests;
        private int _aborted;

        /// <summary>Gets the requests that arrived.</summary>
        public int Requests => Volatile.Read(ref _requests);

        /// <summary>Gets the requests whose RequestAborted fired while the endpoint waited.</summary>
        public int Aborted => Volatile.Read(ref _aborted);

        /// <summary>Gets the request bodies, in order of arrival.</summary>
        public ConcurrentQueue<string> Bodies { get; } = new();

        /// <summary>Gets the times between consecutive arrivals.</summary>
        public IReadOnlyList<TimeSpan> Intervals()
        {
            long[] arrivals = [.. _arrivals];
            Array.Sort(arrivals);
            return [.. arrivals.Skip(1).Select((t, i) => Stopwatch.GetElapsedTime(arrivals[i], t))];
        }

        internal void OnArrived(long timestamp)
        {
            _arrivals.Enqueue(timestamp);
            Interlocked.Increment(ref _requests);
        }

        internal void OnAborted() => Interlocked.Increment(ref _aborted);
    }
}
