using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Resilience.Routing.Tests.Hedging;

/// <summary>
/// Kestrel instances on loopback ephemeral ports answering <c>GET /who</c> with their number and counting the answers,
/// except the first request any of them receives, which waits on a gate until the servers stop (or Kestrel sees the
/// client go): whichever instance the balancer picks first is the slow one.
/// </summary>
internal sealed class SlowFirstServers : IAsyncDisposable
{
    private readonly List<WebApplication> _apps = [];
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _arrived;
    private int _answered;

    public TaskCompletionSource<int> SlowArrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public List<string> Addresses { get; } = [];

    /// <summary>Gets how many requests were answered (the slow one only if the servers stop before Kestrel sees the client abort it).</summary>
    public int Answered => Volatile.Read(ref _answered);

    public static async Task<SlowFirstServers> StartAsync(int count)
    {
        var servers = new SlowFirstServers();
        for (int i = 0; i < count; i++)
        {
            WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
            WebApplication app = builder.Build();
            int number = i;
            app.MapGet("/who", (Func<HttpContext, Task<string>>)(context => servers.AnswerAsync(number, context)));
            await app.StartAsync();
            servers._apps.Add(app);
            servers.Addresses.Add(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        }

        return servers;
    }

    public async ValueTask DisposeAsync()
    {
        _gate.TrySetResult();
        foreach (WebApplication app in _apps)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private async Task<string> AnswerAsync(int number, HttpContext context)
    {
        if (Interlocked.Increment(ref _arrived) == 1)
        {
            SlowArrived.TrySetResult(number);
            await _gate.Task.WaitAsync(context.RequestAborted).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (context.RequestAborted.IsCancellationRequested)
            {
                return string.Empty;
            }
        }

        Interlocked.Increment(ref _answered);
        return number.ToString(CultureInfo.InvariantCulture);
    }
}
