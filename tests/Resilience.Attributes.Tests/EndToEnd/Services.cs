namespace Resilience.Attributes.Tests.EndToEnd;

// Annotated services compiled by the real generator, as in a user's project.

/// <summary>An inventory with every shape of method, behind a breaker, a retry and a time limiter.</summary>
[CircuitBreaker("inventory")]
public interface IInventory
{
    [Retry("inventory", FallbackMethod = nameof(StockFallback))]
    [TimeLimiter("inventory")]
    Task<int> GetStockAsync(string sku, CancellationToken cancellationToken);

    [CircuitBreaker("inventory", FallbackMethod = nameof(CountFallback))]
    int Count(string sku);

    void Reset(string sku);

    Task RefreshAsync(CancellationToken cancellationToken);

    ValueTask PingAsync();

    [TimeLimiter("inventory", FallbackMethod = nameof(NameFallback))]
    ValueTask<string> NameAsync(CancellationToken cancellationToken);

    string Region { get; set; }

    // Fallbacks: the most specific exception type wins, whatever the order of declaration.
    static Task<int> StockFallback(string sku, Exception exception, CancellationToken cancellationToken) => Task.FromResult(-1);

    static Task<int> StockFallback(TimeLimiterTimeoutException exception) => Task.FromResult(-2);

    static ValueTask<string> NameFallback(TimeLimiterTimeoutException exception) => ValueTask.FromResult("timed out");

    static int CountFallback(string sku, CallNotPermittedException exception) => -10;
}

/// <summary>A class whose own attributes and fallbacks win over its interface's.</summary>
public interface IPricing
{
    Task<decimal> PriceAsync(string sku, CancellationToken cancellationToken);

    decimal Discount(string sku);
}

/// <summary>The annotated implementation of <see cref="IPricing"/>.</summary>
[CircuitBreaker("pricing")]
public class Pricing : IPricing
{
    public int Calls { get; private set; }

    public Func<string, decimal> Price { get; set; } = _ => 10m;

    public decimal FallbackPrice { get; set; }

    [Retry("pricing", FallbackMethod = nameof(PriceFallback))]
    public Task<decimal> PriceAsync(string sku, CancellationToken cancellationToken)
    {
        Calls++;
        return Task.FromResult(Price(sku));
    }

    public decimal Discount(string sku)
    {
        Calls++;
        return Price(sku) / 10;
    }

    internal Task<decimal> PriceFallback(string sku, InvalidOperationException exception, CancellationToken cancellationToken) => Task.FromResult(FallbackPrice);
}

/// <summary>A rate-limited service whose calls take two permits.</summary>
public interface IReports
{
    [RateLimiter("reports", Permits = 2)]
    [Bulkhead("reports", Type = BulkheadType.ThreadPool)]
    Task<string> RenderAsync(int id);
}
