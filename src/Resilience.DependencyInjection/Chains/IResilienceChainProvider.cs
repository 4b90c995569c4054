namespace Resilience.DependencyInjection;

/// <summary>
/// Hands out named compositions of the primitives in the registries: the resilience of one dependency, resolved once
/// and executed from any code (Polly's <c>ResiliencePipelineProvider&lt;string&gt;</c>, Resilience4j's annotations by name).
/// </summary>
/// <remarks>
/// The chain named <c>inventory</c> stacks every primitive whose registry holds an instance named <c>inventory</c>
/// (one configured under <c>{Primitive}:Instances:inventory</c>, one added in code, or an HTTP client's), in
/// Resilience4j's order: <c>Retry(CircuitBreaker(RateLimiter(TimeLimiter(Bulkhead(ThreadPoolBulkhead(call))))))</c>.
/// Resolve a chain once, at construction, and keep it: each of its layers follows its registry, so a configuration
/// reload that replaces an instance takes effect on the next call through the chain, at the cost of one volatile read
/// per layer.
/// </remarks>
public interface IResilienceChainProvider
{
    /// <summary>Gets the chain named <paramref name="name"/>, built on first use and cached.</summary>
    /// <param name="name">The instance name shared by the primitives to stack; compared without regard to case.</param>
    /// <returns>
    /// The chain: a <see cref="ResilienceChain"/> (synchronous calls too) unless a time limiter or thread-pool
    /// bulkhead is part of it.
    /// </returns>
    /// <exception cref="KeyNotFoundException">No registry holds an instance of that name; the message lists the names that do.</exception>
    AsyncResilienceChain GetChain(string name);

    /// <summary>
    /// Gets the chain of exactly these layers, outermost first, each the instance its registry holds under the layer's
    /// name now (created from its configuration, or from the registry's default, when it does not exist yet). Built on
    /// first use and cached per sequence of layers: resolve it once, never per call. This is how the decorators that the
    /// attributes generate reach their instances.
    /// </summary>
    /// <param name="outermostFirst">The layers, outermost first; at least one.</param>
    /// <returns>
    /// The chain: a <see cref="ResilienceChain"/> (synchronous calls too) unless a time limiter or thread-pool
    /// bulkhead is part of it.
    /// </returns>
    /// <exception cref="ArgumentException">No layer is given, or a layer is the default value.</exception>
    /// <exception cref="ConfigurationNotFoundException">A layer names a shared configuration its registry does not hold.</exception>
    AsyncResilienceChain GetChain(params ReadOnlySpan<ResilienceLayerName> outermostFirst);
}
