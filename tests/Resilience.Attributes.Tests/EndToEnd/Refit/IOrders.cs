using Refit;

namespace Resilience.Attributes.Tests.EndToEnd.Refit;

// A Refit interface compiled by Refit's generator and ours, as in a user's project. Its [Retry] and [CircuitBreaker]
// run per HTTP request (the project references Resilience.Http); fallbacks stay in the decorator.

public sealed record Order(int Id, string Item);

public sealed record Stock(string Sku, int Count, string Source);

public interface IOrders
{
    [Get("/orders/{id}")]
    [Retry("orders-read")]
    Task<Order> GetAsync(int id);

#pragma warning disable RES1014 // The point of the test: the per-request retry does not resend a POST.
    [Post("/orders")]
    [Retry("orders-write")]
    Task<Order> CreateAsync([Body] Order order);
#pragma warning restore RES1014

    [Get("/stock/{sku}")]
    [CircuitBreaker("stock", FallbackMethod = nameof(StockFallback))]
    Task<Stock> StockAsync(string sku);

    [Get("/prices/{sku}")]
    [CircuitBreaker("prices")]
    Task<Stock> PriceAsync(string sku);

    // Chosen by exception type: Refit 16.4 throws ApiException for an error status, and wraps whatever the handlers
    // throw before a response (here the open breaker's CallNotPermittedException) in ApiRequestException.
    static Task<Stock> StockFallback(string sku, ApiRequestException exception) =>
        Task.FromResult(new Stock(sku, 0, exception.InnerException is CallNotPermittedException ? "breaker open" : "no response"));

    static Task<Stock> StockFallback(string sku, ApiException exception) => Task.FromResult(new Stock(sku, 0, $"server {(int)exception.StatusCode}"));
}
