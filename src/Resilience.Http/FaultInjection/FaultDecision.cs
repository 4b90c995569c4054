namespace Resilience.Http;

/// <summary>Whether one request is delayed and whether it is aborted: the decision the client handler and the server middleware share, public so that any front-end (a gRPC interceptor, a message consumer) injects faults by the same rules.</summary>
/// <remarks>
/// The delay and the abort are independent draws from a uniform random source on [0, 1). A fault fires when its draw is
/// below its percentage / 100. Draws are taken only when they can change the outcome, delay first: none for a
/// percentage of 0 or less (never fires) or of 100 or more (always fires), and none for a delay of zero. Disabled
/// options take no draws and inject nothing.
/// </remarks>
public readonly struct FaultDecision
{
    /// <summary>The default random source: thread-safe and uniform.</summary>
    public static readonly Func<double> SharedRandom = Random.Shared.NextDouble;

    private FaultDecision(TimeSpan delay, bool abort)
    {
        Delay = delay;
        Abort = abort;
    }

    /// <summary>Gets how long the request waits before it goes on or is aborted; <see cref="TimeSpan.Zero"/> for none.</summary>
    public TimeSpan Delay { get; }

    /// <summary>Gets whether the request is aborted (after its delay).</summary>
    public bool Abort { get; }

    /// <summary>Gets whether the request passes through untouched.</summary>
    public bool IsNone => Delay <= TimeSpan.Zero && !Abort;

    /// <summary>Decides the faults of one request from <paramref name="options"/> and <paramref name="random"/>.</summary>
    /// <param name="options">The options in force; not validated here.</param>
    /// <param name="random">Returns uniform draws on [0, 1), such as <see cref="SharedRandom"/>.</param>
    /// <returns>The decision.</returns>
    public static FaultDecision Make(FaultInjectionOptions options, Func<double> random)
    {
        if (!options.Enabled)
        {
            return default;
        }

        TimeSpan delay = options.DelayDuration > TimeSpan.Zero && Fires(options.DelayPercentage, random)
            ? options.DelayDuration
            : TimeSpan.Zero;
        return new FaultDecision(delay, Fires(options.AbortPercentage, random));
    }

    private static bool Fires(double percentage, Func<double> random) =>
        percentage >= FaultInjectionConstants.MaximumPercentage
        || (percentage > FaultInjectionConstants.MinimumPercentage && random() < percentage / FaultInjectionConstants.MaximumPercentage);
}
