namespace Resilience.Routing.Internal;

/// <summary>
/// Envoy's slow start: an endpoint that joined <c>t</c> ago has its weight scaled by
/// <c>max(minWeightPercent / 100, timeFactor^(1 / aggression))</c>, <c>timeFactor = max(t in seconds, 1) / window</c>,
/// until <c>t</c> reaches the window.
/// </summary>
internal readonly struct SlowStart(TimeSpan window, double aggression, double minWeightPercent)
{
    public TimeSpan Window { get; } = window;

    public bool IsEnabled => Window > TimeSpan.Zero;

    /// <summary>Whether an endpoint that joined at <paramref name="joinedAt"/> is still in its window at <paramref name="now"/>.</summary>
    public bool IsWarming(long joinedAt, long now, TimeProvider time) =>
        IsEnabled && joinedAt != EndpointJoin.Initial && time.GetElapsedTime(joinedAt, now) < Window;

    /// <summary>The factor of an endpoint's weight, from <c>minWeightPercent</c> / 100 to 1.</summary>
    public double Factor(long joinedAt, long now, TimeProvider time)
    {
        if (!IsWarming(joinedAt, now, time))
        {
            return 1.0;
        }

        double seconds = Math.Max(time.GetElapsedTime(joinedAt, now).TotalSeconds, 1.0);
        double timeFactor = seconds / Window.TotalSeconds;
        double scaled = aggression == 1.0 ? timeFactor : Math.Pow(timeFactor, 1.0 / aggression);
        return Math.Min(1.0, Math.Max(minWeightPercent / 100.0, scaled));
    }
}

/// <summary>The join time of the endpoints of the first set seen: they are not in slow start (every one would ramp alike).</summary>
internal static class EndpointJoin
{
    public const long Initial = long.MinValue;
}
