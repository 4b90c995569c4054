namespace Resilience;

/// <summary>The entry point for composing primitives around a call, modelled on Resilience4j's <c>Decorators</c>.</summary>
/// <example>
/// <code>
/// Decorators&lt;Price&gt; decorators = Decorators.For&lt;Price&gt;()
///     .WithRetry(retry)
///     .WithCircuitBreaker(breaker)
///     .WithTimeLimiter(timeLimiter)
///     .WithBulkhead(bulkhead)
///     .WithFallback&lt;CallNotPermittedException&gt;(static _ => Price.Unknown)
///     .Build();
/// Price price = await decorators.ExecuteAsync(static (client, ct) => client.GetPriceAsync(ct), pricingClient, ct);
/// </code>
/// </example>
public static class Decorators
{
    /// <summary>Starts composing primitives around calls that return <typeparamref name="TResult"/>.</summary>
    /// <typeparam name="TResult">The result type of the decorated calls.</typeparam>
    /// <returns>A new builder.</returns>
    public static DecoratorsBuilder<TResult> For<TResult>() => new();
}
