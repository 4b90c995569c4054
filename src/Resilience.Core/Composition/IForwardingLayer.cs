namespace Resilience;

/// <summary>
/// A layer that runs every call through the instance it holds now, <see cref="Target"/>, which it may replace at any
/// time: for example a layer that follows a registry across configuration reloads.
/// </summary>
/// <typeparam name="TLayer">The type of the instance.</typeparam>
/// <remarks>
/// <para>A composition runs a call through a forwarding layer by reading <see cref="Target"/> once and running the
/// call through that instance, start to end. When the target is a built-in primitive (<see cref="Retry"/>,
/// <see cref="CircuitBreaker"/>, <see cref="RequestRateLimiter"/>, <see cref="TimeLimiter"/> or <see cref="Bulkhead"/>),
/// a chain of such layers is fused like the primitives themselves: the composition calls the target's own
/// <c>ExecuteAsync</c> directly instead of going through this interface's generic method.</para>
/// <para>An implementation's <see cref="IAsyncResilienceLayer.ExecuteAsync{TState, TResult}"/> must do what the
/// composition does: run the call through <see cref="Target"/>. Reading <see cref="Target"/> should be cheap (a
/// volatile read) and must not throw.</para>
/// </remarks>
public interface IForwardingLayer<out TLayer> : IAsyncResilienceLayer
    where TLayer : class, IAsyncResilienceLayer
{
    /// <summary>Gets the instance that runs calls now.</summary>
    TLayer Target { get; }
}
