using System.Diagnostics.CodeAnalysis;

namespace Resilience.DependencyInjection;

/// <summary>
/// What a change of options keeps: the one set of reload rules that the registries of <c>AddResilience</c> and the
/// HTTP clients of Resilience.Http follow.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Options that compare equal (<see cref="AreEqual"/>) keep the same instance, with all its state.</item>
/// <item>A circuit breaker is rebuilt with the new settings and put in the state of its predecessor (open for a fresh
/// wait, forced open, disabled, metrics-only or half-open) when its window type and size did not change; its window
/// counts start again. Otherwise it starts again, closed (<see cref="CarryState"/>).</item>
/// <item>A bulkhead whose only change is <see cref="BulkheadOptions.MaxConcurrentCalls"/>, and a rate limiter whose
/// refresh period did not change, are changed in place, keeping their permits.</item>
/// <item>Anything else builds a new instance; calls in flight finish on the old one.</item>
/// </list>
/// </remarks>
public static class ResilienceReload
{
    /// <summary>Gets whether two options objects are equal, setting by setting: lists by their items, delegates by reference.</summary>
    /// <typeparam name="TOptions">The options type.</typeparam>
    /// <param name="left">The first options.</param>
    /// <param name="right">The second options.</param>
    /// <returns>Whether they are equal.</returns>
    /// <remarks>Reflection over the public properties: for reloads, never per call.</remarks>
    public static bool AreEqual<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TOptions>(TOptions? left, TOptions? right)
        where TOptions : class =>
        OptionsEquality.AreEqual(left, right);

    /// <summary>
    /// Puts <paramref name="next"/>, a breaker just built from changed options, in the state of
    /// <paramref name="previous"/>, when the window type and size did not change.
    /// </summary>
    /// <param name="previous">The breaker being replaced.</param>
    /// <param name="previousOptions">The options <paramref name="previous"/> was built from.</param>
    /// <param name="next">The new breaker, not yet in use.</param>
    /// <param name="nextOptions">The options <paramref name="next"/> was built from.</param>
    /// <returns>Whether the state was carried over; when not, <paramref name="next"/> stays in its initial state.</returns>
    public static bool CarryState(CircuitBreaker previous, CircuitBreakerOptions previousOptions, CircuitBreaker next, CircuitBreakerOptions nextOptions)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(previousOptions);
        ArgumentNullException.ThrowIfNull(next);
        ArgumentNullException.ThrowIfNull(nextOptions);
        if (previousOptions.SlidingWindowType != nextOptions.SlidingWindowType || previousOptions.SlidingWindowSize != nextOptions.SlidingWindowSize)
        {
            return false;
        }

        switch (previous.State)
        {
            case CircuitBreakerState.Open:
                next.TransitionToOpenState();
                break;
            case CircuitBreakerState.HalfOpen:
                next.TransitionToOpenState();
                next.TransitionToHalfOpenState();
                break;
            case CircuitBreakerState.ForcedOpen:
                next.TransitionToForcedOpenState();
                break;
            case CircuitBreakerState.Disabled:
                next.TransitionToDisabledState();
                break;
            case CircuitBreakerState.MetricsOnly:
                next.TransitionToMetricsOnlyState();
                break;
            default:
                break;
        }

        return true;
    }

    /// <summary>Gets the time limiter for <paramref name="options"/>: <paramref name="previous"/> when its timeout and cancellation are the same, else a new one.</summary>
    /// <param name="previous">The current time limiter, or <see langword="null"/> for none.</param>
    /// <param name="name">The name of a new time limiter.</param>
    /// <param name="options">The new options, valid.</param>
    /// <param name="timeProvider">The source of time of a new time limiter.</param>
    /// <returns>The time limiter to use from now on.</returns>
    public static TimeLimiter Rebuild(TimeLimiter? previous, string name, TimeLimiterOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        return previous is not null && previous.TimeoutDuration == options.TimeoutDuration && previous.CancelRunningTask == options.CancelRunningTask
            ? previous
            : new TimeLimiter(name, options, timeProvider);
    }

    /// <summary>
    /// Gets the bulkhead for <paramref name="options"/>: <paramref name="previous"/>, its limit changed in place, when
    /// only <see cref="BulkheadOptions.MaxConcurrentCalls"/> changed (or nothing), else a new one.
    /// </summary>
    /// <param name="previous">The current bulkhead, or <see langword="null"/> for none.</param>
    /// <param name="previousOptions">The options <paramref name="previous"/> was last set to.</param>
    /// <param name="name">The name of a new bulkhead.</param>
    /// <param name="options">The new options, valid.</param>
    /// <param name="timeProvider">The source of time of a new bulkhead.</param>
    /// <returns>The bulkhead to use from now on.</returns>
    public static Bulkhead Rebuild(Bulkhead? previous, BulkheadOptions? previousOptions, string name, BulkheadOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (previous is not null && previousOptions is not null
            && previousOptions.MaxWaitDuration == options.MaxWaitDuration && previousOptions.FairCallHandlingEnabled == options.FairCallHandlingEnabled)
        {
            if (previousOptions.MaxConcurrentCalls != options.MaxConcurrentCalls)
            {
                previous.ChangeMaxConcurrentCalls(options.MaxConcurrentCalls);
            }

            return previous;
        }

        return new Bulkhead(name, options, timeProvider);
    }

    /// <summary>
    /// Gets the rate limiter for <paramref name="options"/>: <paramref name="previous"/>, its limit and timeout changed
    /// in place, when its refresh period is the same, else a new one.
    /// </summary>
    /// <param name="previous">The current rate limiter, or <see langword="null"/> for none.</param>
    /// <param name="name">The name of a new rate limiter.</param>
    /// <param name="options">The new options, valid.</param>
    /// <param name="timeProvider">The source of time of a new rate limiter.</param>
    /// <returns>The rate limiter to use from now on.</returns>
    public static RequestRateLimiter Rebuild(RequestRateLimiter? previous, string name, RequestRateLimiterOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (previous is not null && previous.LimitRefreshPeriod == options.LimitRefreshPeriod)
        {
            if (previous.LimitForPeriod != options.LimitForPeriod)
            {
                previous.ChangeLimitForPeriod(options.LimitForPeriod);
            }

            if (previous.TimeoutDuration != options.TimeoutDuration)
            {
                previous.ChangeTimeoutDuration(options.TimeoutDuration);
            }

            return previous;
        }

        return new RequestRateLimiter(name, options, timeProvider);
    }
}
