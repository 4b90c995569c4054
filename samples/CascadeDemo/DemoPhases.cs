namespace CascadeDemo;

/// <summary>One phase of the script: its name, what Warehouse (D) does, and the fault injection settings that make it do so.</summary>
/// <param name="Name">A short name.</param>
/// <param name="Description">What Warehouse does.</param>
/// <param name="Faults">The <c>FaultInjection</c> settings of Warehouse during the phase.</param>
/// <param name="OnlyInstance">The one Warehouse instance (0 to <see cref="DemoPhases.WarehouseInstances"/> − 1) that gets
/// <paramref name="Faults"/>, the others running without fault; <see langword="null"/> for every instance.</param>
internal sealed record DemoPhase(string Name, string Description, IReadOnlyDictionary<string, string?> Faults, int? OnlyInstance = null)
{
    /// <summary>The fault injection settings of Warehouse instance <paramref name="instance"/> during the phase.</summary>
    public IReadOnlyDictionary<string, string?> FaultsOf(int instance) =>
        OnlyInstance is null || OnlyInstance == instance ? Faults : DemoPhases.NoFault;
}

/// <summary>The six phases of the demo, in order.</summary>
internal static class DemoPhases
{
    /// <summary>How many Warehouse (D) instances each chain runs.</summary>
    public const int WarehouseInstances = 3;

    /// <summary>The share of Inventory's calls to Pricing that go to Pricing v2, in percent, during every phase.</summary>
    public const int CanaryPercent = 5;

    /// <summary>How long Warehouse hangs while it is down: longer than any run, so a plain client waits for its own timeout.</summary>
    public static readonly TimeSpan DownDelay = TimeSpan.FromHours(1);

    /// <summary>How long Warehouse takes while it is slow: longer than Pricing's per-attempt limit.</summary>
    public static readonly TimeSpan SlowDelay = TimeSpan.FromMilliseconds(600);

    /// <summary>The settings of a Warehouse instance without fault.</summary>
    public static readonly IReadOnlyDictionary<string, string?> NoFault = Faults(TimeSpan.Zero, 0, 0);

    /// <summary>The phases: canary (healthy), one D instance failing, D slow, D failing, D down, D recovered.</summary>
    /// <remarks>Pricing v2 gets its 5 % in every phase; the first is named after it because nothing else happens then.</remarks>
    public static readonly IReadOnlyList<DemoPhase> All =
    [
        new("canary", $"no fault; Pricing v2 gets {CanaryPercent} % of the calls, as in every phase", NoFault),
        new("one D fails", "one of the three D instances answers 503", Faults(TimeSpan.Zero, 0, 100), OnlyInstance: 0),
        new("D slow", $"every request waits {SlowDelay.TotalMilliseconds:0} ms", Faults(SlowDelay, 100, 0)),
        new("D failing", "half the requests answer 503", Faults(TimeSpan.Zero, 0, 50)),
        new("D down", "every request hangs", Faults(DownDelay, 100, 0)),
        new("D recovered", "no fault", NoFault),
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
