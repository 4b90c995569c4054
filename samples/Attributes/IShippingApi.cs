using System.Text.Json;
using System.Text.Json.Serialization;
using Refit;
using Resilience.Attributes;

namespace AttributesSample;

// <attributes-refit-interface>
/// <summary>A shipping service called through Refit: the retry and the breaker run per HTTP request, the fallback in the decorator.</summary>
public interface IShippingApi
{
    /// <summary>Quotes the days to ship an item; a server error after the retry answers "unknown" (-1).</summary>
    [Get("/quote/{sku}")]
    [Retry("shipping")]
    [CircuitBreaker("shipping", FallbackMethod = nameof(NoQuote))]
    Task<ShippingQuote> QuoteAsync(string sku);

    /// <summary>The fallback of <see cref="QuoteAsync"/> when the server answers an error status.</summary>
    static Task<ShippingQuote> NoQuote(string sku, ApiException exception) => Task.FromResult(new ShippingQuote(sku, -1));
}
// </attributes-refit-interface>

/// <summary>A quote of the shipping service.</summary>
public sealed record ShippingQuote(string Sku, int Days);

/// <summary>The JSON of the Refit client, generated at compile time (trimming- and AOT-safe).</summary>
[JsonSerializable(typeof(ShippingQuote))]
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
internal sealed partial class ShippingJson : JsonSerializerContext;
