using Resilience;
using Resilience.Attributes;

namespace AttributesSample;

// <attributes-interface>
/// <summary>The inventory as the order service sees it: every call goes through its breaker and retry.</summary>
[CircuitBreaker("inventory")]
[Retry("inventory")]
public interface IInventoryService
{
    /// <summary>Gets the stock of an item; a breaker that refuses the call answers "unknown" (-1) at once.</summary>
    [TimeLimiter("inventory")]
    [CircuitBreaker("inventory", FallbackMethod = nameof(UnknownStock))]
    Task<int> GetStockAsync(string sku, CancellationToken cancellationToken);

    /// <summary>Reserves items; no fallback: a failure reaches the caller after the retry.</summary>
    ValueTask ReserveAsync(string sku, int quantity, CancellationToken cancellationToken);

    /// <summary>The fallback of <see cref="GetStockAsync"/> when the breaker refuses the call.</summary>
    static Task<int> UnknownStock(string sku, CallNotPermittedException exception, CancellationToken cancellationToken) =>
        Task.FromResult(-1);
}
// </attributes-interface>
