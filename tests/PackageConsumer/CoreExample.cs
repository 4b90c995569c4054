using Resilience;

namespace PackageConsumer;

/// <summary>Resilience4Net.Core on its own: a circuit breaker created in code around a plain call.</summary>
internal static class CoreExample
{
    public static CircuitBreaker CreateBreaker()
    {
        // <package-core>
        var breaker = new CircuitBreaker("inventory", new CircuitBreakerOptions
        {
            SlidingWindowSize = 4,                              // judge the last 4 calls
            MinimumNumberOfCalls = 4,
            FailureRateThreshold = 50,                          // open at >= 50 % failures
            WaitDurationInOpenState = TimeSpan.FromSeconds(30), // then reject every call for 30 s
        });
        // </package-core>
        return breaker;
    }

    public static async Task<string> CheckStockAsync(CircuitBreaker breaker, IInventory inventory)
    {
        // <package-core-call>
        try
        {
            // A static lambda and a state argument: nothing is allocated per call.
            int stock = await breaker.ExecuteAsync(
                static (s, ct) => s.inventory.GetStockAsync(s.sku, ct), (inventory, sku: "SKU-1"));
            return $"{stock} in stock";
        }
        catch (CallNotPermittedException)
        {
            return "rejected"; // the breaker is open: the inventory was not called
        }
        catch (HttpRequestException)
        {
            return "failed"; // the call failed, and the breaker recorded it
        }
        // </package-core-call>
    }
}

/// <summary>The dependency the breaker protects.</summary>
internal interface IInventory
{
    ValueTask<int> GetStockAsync(string sku, CancellationToken cancellationToken);
}

/// <summary>An inventory that is down.</summary>
internal sealed class FailingInventory : IInventory
{
    public ValueTask<int> GetStockAsync(string sku, CancellationToken cancellationToken) =>
        ValueTask.FromException<int>(new HttpRequestException($"inventory is down ({sku})"));
}
