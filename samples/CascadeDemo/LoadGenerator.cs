using System.Collections.Concurrent;

namespace CascadeDemo;

/// <summary>Sends requests to one chain's Order (A) at the times it is told, never waiting for answers, and records each.</summary>
/// <remarks>
/// Open loop: a slow chain does not slow the load down, so its requests in flight pile up, as they would behind a
/// real front end. Beyond <see cref="MaxInFlight"/> a request is not sent and counts as an error, which keeps the
/// process bounded.
/// </remarks>
internal sealed class LoadGenerator : IDisposable
{
    /// <summary>The most requests in flight per chain.</summary>
    public const int MaxInFlight = 2000;

    /// <summary>The longest warm-up, after which the run starts whatever the chain answers.</summary>
    private static readonly TimeSpan WarmUpLimit = TimeSpan.FromSeconds(30);

    /// <summary>The pause after a fallback answer during the warm-up.</summary>
    private static readonly TimeSpan WarmUpPause = TimeSpan.FromMilliseconds(50);

    private readonly HttpClient _client;
    private readonly Func<double> _now;
    private readonly CancellationTokenSource _cancel = new();
    private readonly ConcurrentQueue<RequestSample> _samples = new();
    private readonly List<Task> _pending = [];
    private int _inFlight;

    /// <summary>Creates a load generator for the Order service at <paramref name="order"/>; <paramref name="now"/> gives the seconds since the run started.</summary>
    /// <param name="order">The address of Order (A).</param>
    /// <param name="now">The seconds since the run started.</param>
    /// <param name="handler">The handler to send with, such as one presenting a workload identity; <see langword="null"/> for plain HTTP.</param>
    public LoadGenerator(Uri order, Func<double> now, HttpMessageHandler? handler = null)
    {
        // No timeout of its own: the end of the run cancels what is left, so a hung chain shows how long it hangs.
        _client = new HttpClient(handler ?? new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = order,
            Timeout = Timeout.InfiniteTimeSpan,
            // HTTP/2 where Order offers it (over mutual TLS), so a connection carries many requests and a cancelled one
            // costs no new handshake (see CascadeIdentity.PreferHttp2); plain http:// stays on HTTP/1.1.
            DefaultRequestVersion = System.Net.HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        _now = now;
    }

    /// <summary>Gets the requests sent and not yet answered.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Sends one request for order <paramref name="id"/>, without waiting for it.</summary>
    /// <param name="id">The order to ask for.</param>
    /// <param name="dueSeconds">
    /// When the schedule wanted it sent, which places it in its phase even when the generator itself runs late (a busy
    /// machine can delay the sending loop past a phase's end); its latency counts from when it is actually sent.
    /// </param>
    public void Send(int id, double dueSeconds)
    {
        if (Interlocked.Increment(ref _inFlight) > MaxInFlight)
        {
            Interlocked.Decrement(ref _inFlight);
            _samples.Enqueue(new RequestSample(dueSeconds, 0, RequestOutcome.Error));
            return;
        }

        _pending.Add(SendAsync(id, dueSeconds, _now()));
    }

    /// <summary>
    /// Sends requests one after another, recording none, until <paramref name="count"/> in a row come back in full (not
    /// the fallback), or <see cref="WarmUpLimit"/> has passed: the first requests of a process pay for JIT compilation
    /// and new connections (TLS handshakes with <c>--mtls</c>), which is not what the demo measures, and on a busy
    /// machine they can outlast a time limit and open a breaker, which must close again before the run starts.
    /// </summary>
    public async Task WarmUpAsync(int count, CancellationToken cancellationToken)
    {
        long started = TimeProvider.System.GetTimestamp();
        int inARow = 0;
        for (int i = 0; inARow < count && TimeProvider.System.GetElapsedTime(started) < WarmUpLimit; i++)
        {
            using HttpResponseMessage response = await _client.GetAsync($"orders/{1_000_000 + i}", cancellationToken).ConfigureAwait(false);
            string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode && !body.Contains("\"degraded\":true", StringComparison.Ordinal))
            {
                inARow++;
                continue;
            }

            // A fallback (an open breaker answers at once): give the chain a moment before asking again.
            inARow = 0;
            await Task.Delay(WarmUpPause, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits up to <paramref name="grace"/> for the requests in flight, then cancels the rest, which count as errors.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        Task all = Task.WhenAll(_pending);
        await Task.WhenAny(all, Task.Delay(grace)).ConfigureAwait(false);
        await _cancel.CancelAsync().ConfigureAwait(false);
        await all.ConfigureAwait(false); // SendAsync never throws
    }

    /// <summary>Gets every request, in the order sent.</summary>
    public IReadOnlyList<RequestSample> Samples() => [.. _samples.OrderBy(s => s.StartSeconds)];

    /// <inheritdoc/>
    public void Dispose()
    {
        _cancel.Dispose();
        _client.Dispose();
    }

    private async Task SendAsync(int id, double due, double start)
    {
        RequestOutcome outcome;
        try
        {
            using HttpResponseMessage response = await _client.GetAsync($"orders/{id}", _cancel.Token).ConfigureAwait(false);
            string body = await response.Content.ReadAsStringAsync(_cancel.Token).ConfigureAwait(false);
            outcome = !response.IsSuccessStatusCode ? RequestOutcome.Error
                : body.Contains("\"degraded\":true", StringComparison.Ordinal) ? RequestOutcome.Fallback
                : RequestOutcome.Success;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            outcome = RequestOutcome.Error; // no answer, or none before the run ended
        }

        _samples.Enqueue(new RequestSample(due, (_now() - start) * 1000, outcome));
        Interlocked.Decrement(ref _inFlight);
    }
}
