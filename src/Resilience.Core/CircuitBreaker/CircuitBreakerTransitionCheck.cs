namespace Resilience;

/// <summary>
/// What <see cref="CircuitBreakerOptions.TransitionOnResult"/> asks for after a call: nothing, or to open a closed
/// breaker now, for its usual wait, for a given time or until a given instant (Resilience4j's <c>TransitionCheckResult</c>).
/// </summary>
public readonly struct CircuitBreakerTransitionCheck : IEquatable<CircuitBreakerTransitionCheck>
{
    private CircuitBreakerTransitionCheck(bool open, TimeSpan? wait, DateTimeOffset? until)
    {
        RequestsOpen = open;
        Wait = wait;
        Until = until;
    }

    /// <summary>Gets the answer that asks for no transition.</summary>
    public static CircuitBreakerTransitionCheck None => default;

    /// <summary>Gets a value indicating whether the answer asks to open the breaker.</summary>
    public bool RequestsOpen { get; }

    /// <summary>Gets how long to stay open, when the answer gives a duration.</summary>
    public TimeSpan? Wait { get; }

    /// <summary>Gets until when to stay open, when the answer gives an instant on the breaker's clock.</summary>
    public DateTimeOffset? Until { get; }

    /// <summary>Asks to open the breaker for the wait of its next attempt, as <see cref="CircuitBreaker.TransitionToOpenState"/> does.</summary>
    /// <returns>The answer.</returns>
    /// <remarks>Resilience4j throws <c>IllegalArgumentException</c> for this answer and leaves the closed state stuck; the port opens the breaker, as the option's documentation intends.</remarks>
    public static CircuitBreakerTransitionCheck Open() => new(true, null, null);

    /// <summary>Asks to open the breaker for <paramref name="wait"/>, as <see cref="CircuitBreaker.TransitionToOpenStateFor"/> does.</summary>
    /// <param name="wait">How long to stay open: 1 ms to about 49.7 days.</param>
    /// <returns>The answer.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The wait is out of range.</exception>
    public static CircuitBreakerTransitionCheck OpenFor(TimeSpan wait)
    {
        if (wait < CircuitBreakerConstants.MinimumWait || wait > CircuitBreakerConstants.MaximumWait)
        {
            throw new ArgumentOutOfRangeException(nameof(wait), wait, "The open duration must be from 1 ms to about 49.7 days.");
        }

        return new(true, wait, null);
    }

    /// <summary>Asks to open the breaker until <paramref name="until"/>, as <see cref="CircuitBreaker.TransitionToOpenStateUntil"/> does.</summary>
    /// <param name="until">When to stop waiting, on the breaker's clock; a time in the past ends the wait at once.</param>
    /// <returns>The answer.</returns>
    public static CircuitBreakerTransitionCheck OpenUntil(DateTimeOffset until) => new(true, null, until);

    /// <inheritdoc/>
    public bool Equals(CircuitBreakerTransitionCheck other) => RequestsOpen == other.RequestsOpen && Wait == other.Wait && Until == other.Until;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is CircuitBreakerTransitionCheck other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(RequestsOpen, Wait, Until);

    /// <summary>Compares two answers.</summary>
    /// <param name="left">The first answer.</param>
    /// <param name="right">The second answer.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool operator ==(CircuitBreakerTransitionCheck left, CircuitBreakerTransitionCheck right) => left.Equals(right);

    /// <summary>Compares two answers.</summary>
    /// <param name="left">The first answer.</param>
    /// <param name="right">The second answer.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(CircuitBreakerTransitionCheck left, CircuitBreakerTransitionCheck right) => !left.Equals(right);
}
