namespace CascadeDemo;

/// <summary>One phase of the script: its name, what Warehouse (D) does, and the fault injection settings that make it do so.</summary>
/// <param name="Name">A short name.</param>
/// <param name="Description">What Warehouse does.</param>
/// <param name="Faults">The <c>FaultInjection</c> settings of Warehouse during the phase.</param>
internal sealed record DemoPhase(string Name, string Description, IReadOnlyDictionary<string, string?> Faults);

/// <summary>The five phases of the demo, in order.</summary>
internal static class DemoPhases
{
    /// <summary>How long Warehouse hangs while it is down: longer than any run, so a plain client waits for its own timeout.</summary>
    public static readonly TimeSpan DownDelay = TimeSpan.FromHours(1);

    /// <summary>How long Warehouse takes while it is slow: longer than Pricing's per-attempt limit.</summary>
    public static readonly TimeSpan SlowDelay = TimeSpan.FromMilliseconds(600);

    /// <summary>The phases: healthy, D slow, D failing, D down, D recovered.</summary>
    public static readonly IReadOnlyList<DemoPhase> All =
    [
        new("healthy", "no fault", Faults(TimeSpan.Zero, 0, 0)),
        new("D slow", $"every request waits {SlowDelay.TotalMilliseconds:0} ms", Faults(SlowDelay, 100, 0)),
        new("D failing", "half the requests answer 503", Faults(TimeSpan.Zero, 0, 50)),
        new("D down", "every request hangs", Faults(DownDelay, 100, 0)),
        new("D recovered", "no fault", Faults(TimeSpan.Zero, 0, 0)),
    ];

    // Every key is set in every phase, so nothing of the previous phase or of appsettings.json lingers.
    private static Dictionary<string, string?> Faults(TimeSpan delay, double delayPercentage, double abortPercentage) => new(StringComparer.OrdinalIgnoreCase)
    {
        ["FaultInjection:Enabled"] = "true",
        ["FaultInjection:DelayDuration"] = delay.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
        ["FaultInjection:DelayPercentage"] = delayPercentage.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["FaultInjection:AbortPercentage"] = abortPercentage.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
