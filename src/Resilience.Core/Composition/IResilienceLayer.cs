namespace Resilience;

/// <summary>A layer that can also run synchronous calls on the caller's thread.</summary>
/// <remarks>
/// A time limiter and a thread-pool bulkhead are asynchronous only: a synchronous call can be neither abandoned on
/// timeout nor moved to another thread. They implement <see cref="IAsyncResilienceLayer"/> alone, so a composition
/// that contains one offers no synchronous execution at all.
/// </remarks>
public interface IResilienceLayer : IAsyncResilienceLayer
{
    /// <summary>Runs <paramref name="func"/> with <paramref name="state"/> under this layer, on the caller's thread.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="func">The call to protect.</param>
    /// <param name="state">The state passed to <paramref name="func"/>.</param>
    /// <returns>The result of the call.</returns>
    TResult Execute<TState, TResult>(Func<TState, TResult> func, TState state);
}
