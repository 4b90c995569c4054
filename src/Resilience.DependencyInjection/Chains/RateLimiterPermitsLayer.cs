namespace Resilience.DependencyInjection;

/// <summary>
/// A rate limiter layer that takes more than one permit per call (Resilience4j's <c>permits</c> member of
/// <c>@RateLimiter</c>), through whichever limiter its registry holds now.
/// </summary>
internal sealed class RateLimiterPermitsLayer(RegistryLayer<RequestRateLimiter> limiter, int permits) : IResilienceLayer
{
    public TResult Execute<TState, TResult>(Func<TState, TResult> func, TState state)
    {
        limiter.Target.AcquirePermission(permits);
        return func(state);
    }

    public ValueTask<TResult> ExecuteAsync<TState, TResult>(Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken = default)
    {
        ValueTask acquired = limiter.Target.AcquirePermissionAsync(permits, cancellationToken);
        return acquired.IsCompletedSuccessfully ? func(state, cancellationToken) : AfterWait(acquired, func, state, cancellationToken);
    }

    private static async ValueTask<TResult> AfterWait<TState, TResult>(ValueTask acquired, Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken)
    {
        await acquired.ConfigureAwait(false);
        return await func(state, cancellationToken).ConfigureAwait(false);
    }
}
