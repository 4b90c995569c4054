using System.Globalization;

namespace CascadeDemo;

/// <summary>Writes the demo's console output: a progress line per second, then a table per phase. Fits in 100 columns.</summary>
internal sealed class ConsoleReport(TextWriter output) : IProgress<DemoProgress>
{
    /// <summary>Writes what the run is about to do.</summary>
    public void Header(DemoSettings settings, int phases)
    {
        ArgumentNullException.ThrowIfNull(settings);
        output.WriteLine(Invariant($"Cascade demo: Order (A) -> Inventory (B) -> Pricing (C) -> Warehouse (D), twice:"));
        output.WriteLine("  resilient = AddResilientHttpClient at each hop; plain = HttpClient with its defaults.");
        output.WriteLine(Invariant($"  {settings.Rate:0.#} requests/s to each chain, {phases} phases of {settings.Phase.TotalSeconds:0.#} s."));
        if (settings.Etcd is not null)
        {
            output.WriteLine(Invariant($"  Discovery: etcd at {settings.Etcd}; each instance registers itself, clients resolve http://inventory and so on."));
        }

        if (settings.Mtls)
        {
            output.WriteLine("  Mutual TLS: every service has its own SPIFFE identity from a development CA and requires client");
            output.WriteLine("  certificates; every client expects the next service's SPIFFE ID; Pricing (C) accepts only Inventory (B).");
        }
        output.WriteLine();
    }

    /// <summary>Writes a progress line.</summary>
    public void Report(DemoProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        output.WriteLine(Invariant(
            $"{value.ElapsedSeconds,5:0} s  {value.Phase.Name,-12} sent {value.Sent,6}   in flight: resilient {value.ResilientInFlight,5}   plain {value.PlainInFlight,5}"));
    }

    /// <summary>Writes the figures of each phase for both chains, and the breaker timeline of B's client.</summary>
    public void Summary(DemoRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.MutualTls is { } mutualTls)
        {
            output.WriteLine();
            output.WriteLine(mutualTls.Line);
            output.WriteLine("  " + mutualTls.Detail);
        }

        output.WriteLine();
        output.WriteLine(Invariant($"A's answers per phase (per-attempt time limit of the resilient clients: {run.AttemptTimeout.TotalMilliseconds:0} ms)"));
        for (int i = 0; i < run.Phases.Count; i++)
        {
            PhaseWindow phase = run.Phases[i];
            output.WriteLine();
            output.WriteLine(Invariant($"{i + 1}. {phase.Name}: {phase.Description} ({phase.StartSeconds:0.0} s to {phase.EndSeconds:0.0} s)"));
            output.WriteLine("   chain      requests  success  fallback   error   p50 ms   p95 ms   p99 ms  max in flight");
            foreach (ChainRun chain in new[] { run.Resilient, run.Plain })
            {
                PhaseStats s = DemoStatistics.ForPhase(chain, phase);
                output.WriteLine(Invariant(
                    $"   {chain.Name,-9} {s.Requests,9} {Percent(s.SuccessRate),8} {Percent(s.FallbackRate),9} {Percent(s.ErrorRate),7} {s.P50Ms,8:0} {s.P95Ms,8:0} {s.P99Ms,8:0} {s.MaxInFlight,14}"));
            }

            output.WriteLine($"   B's breaker (resilient): {Timeline(run.Resilient.BreakerTimeline, phase)}");
            foreach (ChainRun chain in new[] { run.Resilient, run.Plain })
            {
                Traffic(chain, phase);
            }
        }
    }

    /// <summary>
    /// Writes the share of each instance in its service's requests during <paramref name="phase"/>, as the instances
    /// counted them, and the ejections that overlap the phase.
    /// </summary>
    internal void Traffic(ChainRun chain, PhaseWindow phase)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(phase);
        IEnumerable<string> services = TrafficStatistics.Services(chain).Select(service => string.Join("  ",
            TrafficStatistics.Shares(chain, service, phase.StartSeconds, phase.EndSeconds).Select(s => $"{s.Endpoint} {Percent(s.Share)}")));
        string shares = string.Join("  |  ", services);
        if (shares.Length > 0)
        {
            output.WriteLine($"   traffic ({chain.Name}): {shares}");
        }

        IReadOnlyList<EjectionInterval> ejections = TrafficStatistics.Ejections(chain, phase.StartSeconds, phase.EndSeconds);
        const int MaxShown = 3;
        foreach (EjectionInterval e in ejections.Take(MaxShown))
        {
            output.WriteLine(Invariant($"   ejected ({chain.Name}): {e.Endpoint} by {e.Client}'s client, {e.StartSeconds:0.0} s to {e.EndSeconds:0.0} s ({e.Reason})"));
        }

        if (ejections.Count > MaxShown)
        {
            output.WriteLine(Invariant($"   ejected ({chain.Name}): ... {ejections.Count - MaxShown} more"));
        }
    }

    /// <summary>
    /// The breaker's state at the start of <paramref name="phase"/>, then each change during it; a long run of changes
    /// (an open breaker probing a dead service every second) keeps its first two and its last, to fit one line.
    /// </summary>
    internal static string Timeline(IReadOnlyList<BreakerTransition> timeline, PhaseWindow phase)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        ArgumentNullException.ThrowIfNull(phase);
        var entries = new List<string>();
        BreakerTransition? atStart = timeline.LastOrDefault(t => t.AtSeconds <= phase.StartSeconds);
        if (atStart is not null)
        {
            entries.Add(Invariant($"{phase.StartSeconds:0.0} s {atStart.State}"));
        }

        foreach (BreakerTransition t in timeline.Where(t => t.AtSeconds > phase.StartSeconds && t.AtSeconds < phase.EndSeconds))
        {
            entries.Add(Invariant($"{t.AtSeconds:0.0} s {t.State}"));
        }

        const int MaxEntries = 5;
        if (entries.Count > MaxEntries)
        {
            int hidden = entries.Count - 3;
            entries = [entries[0], entries[1], Invariant($"... {hidden} more changes ..."), entries[^1]];
        }

        return entries.Count == 0 ? "(not observed)" : string.Join(", ", entries);
    }

    private static string Percent(double share) => Invariant($"{share * 100:0.0} %");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
