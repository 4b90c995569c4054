namespace CascadeDemo;

/// <summary>What the runner reports about once a second while it runs.</summary>
/// <param name="ElapsedSeconds">Seconds since the run started.</param>
/// <param name="Phase">The current phase.</param>
/// <param name="Sent">Requests sent to each chain so far.</param>
/// <param name="ResilientInFlight">Requests in flight in the resilient chain.</param>
/// <param name="PlainInFlight">Requests in flight in the plain chain.</param>
internal sealed record DemoProgress(double ElapsedSeconds, DemoPhase Phase, int Sent, int ResilientInFlight, int PlainInFlight);

/// <summary>Runs the demo: both chains, the same load through the phases, and what each chain did.</summary>
internal static class CascadeRunner
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(5);
    private const int WarmUpRequests = 20; // full answers in a row before the run starts
    private static readonly TimeSpan InFlightInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Starts both chains, sends the load through every phase, stops everything and returns the run.</summary>
    public static async Task<DemoRun> RunAsync(DemoSettings settings, IProgress<DemoProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        // Disposed last, after both chains have stopped watching the identity files: it deletes them.
        using DemoIdentities? identities = settings.Mtls ? DemoIdentities.Create() : null;
        using var ejections = new EjectionMonitor();
        await using ChainHost resilient = await ChainHost.StartAsync("resilient", resilient: true, settings.Etcd, identities, cancellationToken).ConfigureAwait(false);
        await using ChainHost plain = await ChainHost.StartAsync("plain", resilient: false, settings.Etcd, identities, cancellationToken).ConfigureAwait(false);
        // Pricing (C) accepts only Inventory (B): a call from Order's (A's) identity straight to it must get 403.
        MutualTlsCheck? mutualTls = identities is null
            ? null
            : await identities.CallPricingDirectlyAsync(resilient.PricingAddress, cancellationToken).ConfigureAwait(false);

        DateTimeOffset startedAt = TimeProvider.System.GetUtcNow();
        long start = TimeProvider.System.GetTimestamp();
        double Now() => TimeProvider.System.GetElapsedTime(start).TotalSeconds;

        using var resilientLoad = new LoadGenerator(resilient.OrderAddress, Now, identities?.CreateHandler(DemoIdentities.LoadGenerator, "order"));
        using var plainLoad = new LoadGenerator(plain.OrderAddress, Now, identities?.CreateHandler(DemoIdentities.LoadGenerator, "order"));
        await Task.WhenAll(resilientLoad.WarmUpAsync(WarmUpRequests, cancellationToken), plainLoad.WarmUpAsync(WarmUpRequests, cancellationToken)).ConfigureAwait(false);
        start = TimeProvider.System.GetTimestamp(); // the run starts after the warm-up
        startedAt = TimeProvider.System.GetUtcNow();
        var resilientBreaker = new BreakerMonitor(resilient.InventoryHealth, Now);
        using var stopMonitors = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task monitor = resilientBreaker.RunAsync(stopMonitors.Token); // a plain client has no breaker to watch

        var resilientInFlight = new List<InFlightSample>();
        var plainInFlight = new List<InFlightSample>();
        var poolSamples = new List<ThreadPoolSample>();
        var phases = new List<PhaseWindow>();
        double phaseSeconds = settings.Phase.TotalSeconds;
        int sent = 0;
        double nextSample = 0, nextProgress = 0;
        try
        {
            for (int p = 0; p < DemoPhases.All.Count; p++)
            {
                DemoPhase phase = DemoPhases.All[p];
                double end = (p + 1) * phaseSeconds;
                resilient.SetFaults(phase);
                plain.SetFaults(phase);
                for (double now = Now(); now < end; now = Now())
                {
                    // The same schedule for both chains: request n is due at n / rate seconds.
                    for (long due = Math.Min((long)(now * settings.Rate), (long)(end * settings.Rate)); sent < due; sent++)
                    {
                        resilientLoad.Send(sent, sent / settings.Rate);
                        plainLoad.Send(sent, sent / settings.Rate);
                    }

                    if (now >= nextSample)
                    {
                        resilientInFlight.Add(new InFlightSample(now, resilientLoad.InFlight));
                        plainInFlight.Add(new InFlightSample(now, plainLoad.InFlight));
                        poolSamples.Add(new ThreadPoolSample(now, ThreadPool.ThreadCount, ThreadPool.PendingWorkItemCount));
                        nextSample += InFlightInterval.TotalSeconds;
                    }

                    if (now >= nextProgress)
                    {
                        progress?.Report(new DemoProgress(now, phase, sent, resilientLoad.InFlight, plainLoad.InFlight));
                        nextProgress += 1;
                    }

                    await Task.Delay(Tick, cancellationToken).ConfigureAwait(false);
                }

                phases.Add(new PhaseWindow(phase.Name, phase.Description, p * phaseSeconds, end));
            }
        }
        finally
        {
            // The resilient chain answers within its time limits; what is left after that is the plain chain's hung
            // requests, which are cancelled and recorded as errors with the time they had waited.
            TimeSpan grace = resilient.AttemptTimeout + TimeSpan.FromSeconds(0.5);
            await Task.WhenAll(resilientLoad.StopAsync(grace), plainLoad.StopAsync(grace)).ConfigureAwait(false);
            await stopMonitors.CancelAsync().ConfigureAwait(false);
            await monitor.ConfigureAwait(false);
        }

        double runEnd = phases.Count == 0 ? 0 : phases[^1].EndSeconds;
        return new DemoRun(
            startedAt,
            settings.Rate,
            resilient.AttemptTimeout,
            phases,
            new ChainRun(resilient.Name, resilientLoad.Samples(), resilientInFlight, resilientBreaker.Timeline, Traffic(resilient, start), ejections.Intervals(resilient.Counters, resilient.RoutingMeters, start, runEnd)),
            new ChainRun(plain.Name, plainLoad.Samples(), plainInFlight, [], Traffic(plain, start), ejections.Intervals(plain.Counters, plain.RoutingMeters, start, runEnd)),
            mutualTls,
            poolSamples);
    }

    // What each Pricing and Warehouse instance counted from the start of the run (the warm-up is left out).
    private static List<EndpointTraffic> Traffic(ChainHost chain, long start) => [.. chain.Counters.Select(c => c.Traffic(start))];
}
