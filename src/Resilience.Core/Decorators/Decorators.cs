using Resilience.Internal;

namespace Resilience;

/// <summary>
/// The entry point for composing layers around a call, modelled on Resilience4j's <c>Decorators</c>; and the
/// composition for calls that return nothing, synchronous or asynchronous, built by <see cref="DecoratorsBuilder"/>.
/// </summary>
/// <remarks>
/// <para>Three shapes, one set of rules: <see cref="For{TResult}"/> for calls that return a result (fallbacks return
/// one), <see cref="For()"/> for calls that return nothing (fallbacks are actions), and <see cref="Chain"/> for a
/// composition without a result type, which is itself a layer and runs calls of any result type.</para>
/// <para>The built-in <c>With…</c> methods nest in Resilience4j's order whatever order they are called in, with the
/// fallbacks outermost: <c>Fallback(Retry(CircuitBreaker(RateLimiter(TimeLimiter(Bulkhead(ThreadPoolBulkhead(call)))))))</c>.
/// Layers added with <c>With(layer)</c> nest inside the fallbacks and outside every built-in primitive, the first added
/// outermost. <c>InOrder</c> and <c>FallbackInside</c> choose any other nesting.</para>
/// <para>Adding a layer that runs asynchronous calls only (a time limiter, a thread-pool bulkhead, or any layer that
/// implements <see cref="IAsyncResilienceLayer"/> but not <see cref="IResilienceLayer"/>) turns the builder into an
/// asynchronous one, whose product has no <c>Execute</c>.</para>
/// </remarks>
/// <example>
/// <code>
/// AsyncDecorators&lt;Price&gt; decorators = Decorators.For&lt;Price&gt;()
///     .WithRetry(retry)
///     .WithCircuitBreaker(breaker)
///     .WithTimeLimiter(timeLimiter)
///     .WithBulkhead(bulkhead)
///     .WithFallback&lt;CallNotPermittedException&gt;(static _ => Price.Unknown)
///     .Build();
/// Price price = await decorators.ExecuteAsync(static (client, ct) => client.GetPriceAsync(ct), pricingClient, ct);
/// </code>
/// </example>
public sealed class Decorators : AsyncDecorators
{
    internal Decorators(BuiltComposition<VoidResult> built)
        : base(built)
    {
    }

    /// <summary>Starts composing layers around calls that return <typeparamref name="TResult"/>.</summary>
    /// <typeparam name="TResult">The result type of the decorated calls.</typeparam>
    /// <returns>A new builder.</returns>
    public static DecoratorsBuilder<TResult> For<TResult>() => new(new CompositionPlan<TResult>());

    /// <summary>Starts composing layers around calls that return nothing.</summary>
    /// <returns>A new builder.</returns>
    public static DecoratorsBuilder For() => new(new CompositionPlan<VoidResult>());

    /// <summary>Starts composing a chain of layers without a result type: itself a layer, for calls of any result type.</summary>
    /// <returns>A new builder.</returns>
    public static ResilienceChainBuilder Chain() => new(new CompositionPlan<VoidResult>());

    /// <summary>Runs <paramref name="action"/> through every layer, on the caller's thread.</summary>
    /// <param name="action">The call to decorate.</param>
    public void Execute(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Run(static a => { a(); return default(VoidResult); }, action);
    }

    /// <summary>Runs <paramref name="action"/> with <paramref name="state"/> through every layer, on the caller's thread. Pass a static lambda to avoid a closure.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <param name="action">The call to decorate.</param>
    /// <param name="state">The state passed to <paramref name="action"/>.</param>
    public void Execute<TState>(Action<TState> action, TState state)
    {
        ArgumentNullException.ThrowIfNull(action);
        Run(static s => { s.action(s.state); return default(VoidResult); }, (action, state));
    }
}
