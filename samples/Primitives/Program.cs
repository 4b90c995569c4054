// Each primitive of Resilience.Core in a few lines, against a fake dependency. The README quotes the regions
// between the // <name> markers, so every code block there compiles. Run it with:
//   dotnet run -c Release --project samples/Primitives
using System.Net;
using System.Threading.RateLimiting;
using Resilience;

using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
CancellationToken cancellationToken = cts.Token;
var inventoryClient = new InventoryClient(failuresBeforeSuccess: 2);

// <retry>
var retry = new Retry("inventory", new RetryOptions
{
    MaxAttempts = 4,
    WaitDuration = TimeSpan.FromMilliseconds(20),
    BackoffType = RetryBackoffType.ExponentialRandom,
    MaxWaitDuration = TimeSpan.FromSeconds(5),
    RetryExceptions = { typeof(HttpRequestException) },
    RetryResultPredicate = static r => r is HttpResponseMessage { StatusCode: HttpStatusCode.ServiceUnavailable },
    // Honour the server's Retry-After hint; otherwise use the backoff.
    IntervalFunction = static a => (a.Result as HttpResponseMessage)?.Headers.RetryAfter?.Delta,
});
retry.Events.Retry += static e => Console.WriteLine($"  retry: attempt {e.AttemptNumber} failed, waiting {e.WaitDuration.TotalMilliseconds:0} ms");

int stock = await retry.ExecuteAsync(static (client, ct) => client.GetStockAsync("sku-42", ct), inventoryClient, cancellationToken);
// </retry>
Console.WriteLine($"retry: stock {stock}; {retry.GetMetrics()}");

// <time-limiter>
var timeLimiter = new TimeLimiter("inventory", new TimeLimiterOptions { TimeoutDuration = TimeSpan.FromMilliseconds(100) });
try
{
    // The operation's token is cancelled when the timeout expires (CancelRunningTask is on by default).
    await timeLimiter.ExecuteAsync(static async ct => await Task.Delay(TimeSpan.FromSeconds(10), ct), cancellationToken);
}
catch (TimeLimiterTimeoutException ex)
{
    Console.WriteLine($"time limiter: '{ex.TimeLimiterName}' timed out after {ex.Timeout.TotalMilliseconds} ms");
}
// </time-limiter>

// <bulkhead>
var bulkhead = new Bulkhead("inventory", new BulkheadOptions
{
    MaxConcurrentCalls = 2,
    MaxWaitDuration = TimeSpan.Zero,
});
var slow = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
ValueTask<int> first = bulkhead.ExecuteAsync(_ => new ValueTask<int>(slow.Task), cancellationToken);
ValueTask<int> second = bulkhead.ExecuteAsync(_ => new ValueTask<int>(slow.Task), cancellationToken);
try
{
    await bulkhead.ExecuteAsync(static _ => new ValueTask<int>(0), cancellationToken);
}
catch (BulkheadFullException ex)
{
    Console.WriteLine($"bulkhead: '{ex.BulkheadName}' is full ({bulkhead.GetMetrics().AvailableConcurrentCalls} free)");
}

slow.SetResult(1);
await first;
await second;

// The call contract, for code that cannot wrap the call in a delegate:
if (bulkhead.TryAcquirePermission(out BulkheadPermit permit))
{
    try { Console.WriteLine("bulkhead: working with a permit"); } finally { permit.Complete(); }
}
// </bulkhead>

// <thread-pool-bulkhead>
using var legacyDb = new ThreadPoolBulkhead("legacy-db",
    new ThreadPoolBulkheadOptions { CoreThreadPoolSize = 2, MaxThreadPoolSize = 4, QueueCapacity = 20 });

// Blocking work runs on the bulkhead's own threads, never on the shared .NET thread pool.
string customer = await legacyDb.Submit(static (id, ct) => LegacyDb.LoadCustomer(id, ct), 7, cancellationToken);
// </thread-pool-bulkhead>
Console.WriteLine($"thread-pool bulkhead: {customer}; {legacyDb.GetMetrics()}");

// <rate-limiter>
var rateLimiter = new RequestRateLimiter("partner-api", new RequestRateLimiterOptions
{
    LimitForPeriod = 5,
    LimitRefreshPeriod = TimeSpan.FromSeconds(1),
    TimeoutDuration = TimeSpan.Zero,
});

int granted = 0, refused = 0;
for (int i = 0; i < 8; i++)
{
    try
    {
        await rateLimiter.ExecuteAsync(static _ => ValueTask.CompletedTask, cancellationToken);
        granted++;
    }
    catch (RequestNotPermittedException)
    {
        refused++;
    }
}

// The same limiter as a System.Threading.RateLimiting.RateLimiter, for ASP.NET Core's middleware or Polly.
RateLimiter standard = rateLimiter.AsRateLimiter();
using RateLimitLease lease = standard.AttemptAcquire();
// </rate-limiter>
Console.WriteLine($"rate limiter: {granted} granted, {refused} refused, lease acquired: {lease.IsAcquired}");

// <decorators>
var breaker = new CircuitBreaker("pricing");
AsyncDecorators<decimal> pricing = Decorators.For<decimal>()
    .WithRetry(new Retry("pricing", new RetryOptions { WaitDuration = TimeSpan.FromMilliseconds(10) }))
    .WithCircuitBreaker(breaker)
    .WithTimeLimiter(new TimeLimiter("pricing", new TimeLimiterOptions { TimeoutDuration = TimeSpan.FromMilliseconds(200) }))
    .WithBulkhead(new Bulkhead("pricing"))
    .WithFallback<CallNotPermittedException>(static _ => -1m) // the breaker is open: answer without calling
    .Build();

// Fallback(Retry(CircuitBreaker(TimeLimiter(Bulkhead(call))))): Resilience4j's order, whatever the With… order.
decimal price = await pricing.ExecuteAsync(static (sku, ct) => PricingClient.GetPriceAsync(sku, ct), "sku-42", cancellationToken);
breaker.TransitionToForcedOpenState();
decimal degraded = await pricing.ExecuteAsync(static (sku, ct) => PricingClient.GetPriceAsync(sku, ct), "sku-42", cancellationToken);
// </decorators>
Console.WriteLine($"decorators: {string.Join(" → ", pricing.Layers.Select(static layer => layer.GetType().Name))}; price {price}, while open {degraded}");

/// <summary>A fake inventory service that fails a few times, then answers.</summary>
internal sealed class InventoryClient(int failuresBeforeSuccess)
{
    private int _calls;

    public ValueTask<int> GetStockAsync(string sku, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ++_calls <= failuresBeforeSuccess
            ? ValueTask.FromException<int>(new HttpRequestException($"inventory unavailable for {sku}"))
            : new ValueTask<int>(42);
    }
}

/// <summary>A fake blocking database driver.</summary>
internal static class LegacyDb
{
    public static string LoadCustomer(int id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Thread.Sleep(10); // Blocking I/O, the reason to use a thread-pool bulkhead.
        return $"customer {id} (loaded on {Thread.CurrentThread.Name})";
    }
}

/// <summary>A fake pricing service.</summary>
internal static class PricingClient
{
    public static async ValueTask<decimal> GetPriceAsync(string sku, CancellationToken cancellationToken)
    {
        await Task.Delay(5, cancellationToken);
        return sku.Length * 1.5m;
    }
}
