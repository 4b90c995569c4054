// QuickStart: a circuit breaker protecting a flaky dependency.
//
// A fake "inventory service" runs in three phases: healthy, failing, recovered. The breaker opens while it fails,
// rejects calls without touching it for one second, lets three trial calls through, and closes again once they
// succeed. Run it with:  dotnet run -c Release --project samples/QuickStart

// <quickstart>
using Resilience;

var options = new CircuitBreakerOptions
{
    SlidingWindowType = SlidingWindowType.CountBased,
    SlidingWindowSize = 10,                                      // judge the last 10 calls...
    MinimumNumberOfCalls = 5,                                    // ...once at least 5 are recorded
    FailureRateThreshold = 50,                                   // open at >= 50 % failures
    SlowCallDurationThreshold = TimeSpan.FromMilliseconds(200),  // a call taking > 200 ms is slow
    SlowCallRateThreshold = 50,                                  // open at >= 50 % slow calls
    WaitDurationInOpenState = TimeSpan.FromSeconds(1),           // reject everything for 1 s
    AutomaticTransitionFromOpenToHalfOpenEnabled = true,         // then a timer moves to half-open
    PermittedNumberOfCallsInHalfOpenState = 3,                   // where 3 trial calls decide
};

var breaker = new CircuitBreaker("inventory", options);
breaker.Events.StateTransition += e =>
    Console.WriteLine($"  *** breaker '{e.CircuitBreakerName}': {e.FromState} -> {e.ToState}");

var inventory = new InventoryService(); // the fake dependency, defined at the end of this file

async Task CheckStockAsync(string sku)
{
    try
    {
        // A static lambda plus a state argument: no closure is allocated per call.
        int stock = await breaker.ExecuteAsync(
            static (s, ct) => new ValueTask<int>(s.inventory.GetStockAsync(s.sku, ct)), (inventory, sku));
        Console.WriteLine($"  {sku}: {stock} in stock");
    }
    catch (CallNotPermittedException ex)
    {
        // The dependency was not called. RetryAfter says when trial calls will be let through.
        Console.WriteLine($"  {sku}: rejected, breaker is {ex.State}, retry after {ex.RetryAfter?.TotalMilliseconds:0} ms");
    }
    catch (HttpRequestException ex)
    {
        // The call went through and failed; the breaker recorded the failure.
        Console.WriteLine($"  {sku}: failed ({ex.Message})");
    }
}
// </quickstart>

// <quickstart-metrics>
void PrintMetrics()
{
    CircuitBreakerMetrics m = breaker.GetMetrics();
    Console.WriteLine(
        $"  metrics: state {breaker.State}, failure rate {m.FailureRate:0.#} %, slow-call rate {m.SlowCallRate:0.#} %, " +
        $"buffered {m.NumberOfBufferedCalls}, failed {m.NumberOfFailedCalls}, slow {m.NumberOfSlowCalls}, " +
        $"not permitted {m.NumberOfNotPermittedCalls}");
}
// </quickstart-metrics>

var clock = System.Diagnostics.Stopwatch.StartNew();
int skuNumber = 0;

Phase("1. healthy: every call succeeds in about 20 ms");
for (int i = 0; i < 8; i++)
{
    await CheckStockAsync(NextSku());
    await Task.Delay(40);
}

PrintMetrics();

Phase("2. failing: three calls in four fail, the fourth is slow (about 250 ms)");
inventory.Failing = true;
int receivedBefore = inventory.RequestsReceived;
for (int i = 0; i < 12; i++)
{
    await CheckStockAsync(NextSku());
    await Task.Delay(50);
}

PrintMetrics();
Console.WriteLine($"  the inventory service received {inventory.RequestsReceived - receivedBefore} of 12 requests");

Phase("3. recovered: the service is healthy again; this phase uses the non-throwing TryAcquirePermission path");
inventory.Failing = false;
for (int i = 0; i < 15; i++)
{
    await CheckStockWithoutExceptionsAsync(NextSku());
    await Task.Delay(100);
}

PrintMetrics();

Phase("4. registry: named breakers with named configurations");
ShowRegistry();

Console.WriteLine();
Console.WriteLine($"Done in {clock.Elapsed.TotalSeconds:0.0} s.");
return 0;

string NextSku() => $"SKU-{++skuNumber:00}";

void Phase(string title)
{
    Console.WriteLine();
    Console.WriteLine($"[{clock.Elapsed.TotalSeconds:0.00} s] Phase {title}");
}

// <low-level>
// The call contract: ask for a permit without an exception, then complete it with exactly one of RecordSuccess,
// RecordFailure, RecordResult or Release. The permit measures the call's duration itself.
async Task CheckStockWithoutExceptionsAsync(string sku, CancellationToken cancellationToken = default)
{
    if (!breaker.TryAcquirePermission(out CircuitBreakerPermit permit))
    {
        Console.WriteLine($"  {sku}: not permitted while {breaker.State}; showing the cached stock level");
        return;
    }

    int stock;
    try
    {
        stock = await inventory.GetStockAsync(sku, cancellationToken);
    }
    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
    {
        permit.Release(); // cancelled by our own caller: neither a success nor a failure
        throw;
    }
    catch (Exception ex)
    {
        permit.RecordFailure(ex, cancellationToken); // the ignore/record options classify it
        Console.WriteLine($"  {sku}: failed ({ex.Message})");
        return;
    }

    permit.RecordResult(stock);
    Console.WriteLine($"  {sku}: {stock} in stock");
}
// </low-level>

static void ShowRegistry()
{
    // <registry>
    var registry = new CircuitBreakerRegistry(new CircuitBreakerOptions { FailureRateThreshold = 25 });
    registry.AddConfiguration("slow-backends", new CircuitBreakerOptions
    {
        SlowCallDurationThreshold = TimeSpan.FromSeconds(2),
        SlowCallRateThreshold = 50,
    });
    // A configuration can inherit from another (here the default) and override some settings.
    registry.AddConfiguration("eager", baseConfigurationName: "default", static o => o.MinimumNumberOfCalls = 10);

    CircuitBreaker orders = registry.GetOrCreate("orders");                   // the registry's default options
    CircuitBreaker pricing = registry.GetOrCreate("pricing", "slow-backends"); // a named configuration
    CircuitBreaker samePricing = registry.GetOrCreate("Pricing");              // names ignore case: the same breaker
    // </registry>

    Console.WriteLine($"  breakers: {string.Join(", ", registry.GetAll().Select(b => b.Name).Order(StringComparer.Ordinal))}");
    Console.WriteLine($"  GetOrCreate(\"Pricing\") returned the 'pricing' breaker: {ReferenceEquals(pricing, samePricing)}; 'orders' is {orders.State}");
}

/// <summary>A fake remote inventory service whose health the demo switches.</summary>
internal sealed class InventoryService
{
    private int _requests;
    private int _failingRequests;

    /// <summary>Gets or sets whether the service is failing: three requests in four fail, the fourth is slow.</summary>
    public bool Failing { get; set; }

    /// <summary>Gets the number of requests that reached the service.</summary>
    public int RequestsReceived => Volatile.Read(ref _requests);

    public async Task<int> GetStockAsync(string sku, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        if (!Failing)
        {
            await Task.Delay(20, cancellationToken);
            return 10 + (sku[^1] - '0') * 4; // a made-up, stable stock level
        }

        // A deterministic pattern, so that every run shows the same story.
        if (Interlocked.Increment(ref _failingRequests) % 4 != 0)
        {
            await Task.Delay(10, cancellationToken);
            throw new HttpRequestException("503 Service Unavailable");
        }

        await Task.Delay(250, cancellationToken);
        return 3;
    }
}
