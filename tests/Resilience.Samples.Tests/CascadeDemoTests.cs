using System.Globalization;
using CascadeDemo;

namespace Resilience.Samples.Tests;

/// <summary>A short real run of the cascade demo: what the demo must show, asserted.</summary>
[Collection(DemoChainsGroup.Name)]
public class CascadeDemoTests(CascadeDemoTests.ShortRun shortRun) : IClassFixture<CascadeDemoTests.ShortRun>
{
    private const double Rate = 30;
    private static readonly TimeSpan Phase = TimeSpan.FromSeconds(4);

    // Pricing v2's share of the run's calls, counted by the servers: about 500 calls reach Pricing (fewer while B's
    // breaker is open), so the standard deviation of a 5 % share is about 1 point; 3.5 points is about 3.5 deviations.
    private const double CanaryTolerance = 0.035;

    // After D recovers, the breakers along the chain each wait out their open state (1 s) and probe through
    // half-open; requests sent after this much of the phase must all get a full answer.
    private const double RecoverySeconds = 3;

    [Fact]
    public void RunAsync_ShortRun_ShowsTheCascadeAndItsPrevention()
    {
        DemoRun run = shortRun.Run;

        run.Phases.Select(p => p.Name).Should().Equal(DemoPhases.All.Select(p => p.Name));
        PhaseWindow healthy = PhaseNamed(run, "canary"), down = PhaseNamed(run, "D down"), recovered = PhaseNamed(run, "D recovered");

        // Healthy: both chains answer in full. CI runs other test assemblies at the same time on 2 cores, so a few
        // requests may miss the tight per-attempt limit deep in the chain (250 ms) and be answered from the fallback.
        foreach (ChainRun chain in new[] { run.Resilient, run.Plain })
        {
            PhaseStats stats = DemoStatistics.ForPhase(chain, healthy);
            stats.Requests.Should().BeGreaterThan((int)(Rate * Phase.TotalSeconds * 0.9), chain.Name);
            stats.SuccessRate.Should().BeGreaterThanOrEqualTo(0.9, chain.Name);
        }

        // D down, resilient: A keeps answering, fast.
        PhaseStats resilientDown = DemoStatistics.ForPhase(run.Resilient, down);
        (resilientDown.SuccessRate + resilientDown.FallbackRate).Should().BeGreaterThanOrEqualTo(0.95);
        resilientDown.P99Ms.Should().BeLessThan(run.AttemptTimeout.TotalMilliseconds);

        // D down, plain: A's latency follows D's hang, and its requests in flight pile up.
        PhaseStats plainDown = DemoStatistics.ForPhase(run.Plain, down);
        plainDown.P50Ms.Should().BeGreaterThanOrEqualTo(Phase.TotalMilliseconds / 2);
        plainDown.MaxInFlight.Should().BeGreaterThanOrEqualTo((int)(Rate * (Phase.TotalSeconds - 1)));

        // D recovered, resilient: full answers again within a few seconds.
        RequestSample[] late = run.Resilient.Requests
            .Where(r => r.StartSeconds >= recovered.StartSeconds + RecoverySeconds && r.StartSeconds < recovered.EndSeconds)
            .ToArray();
        late.Should().NotBeEmpty();
        late.Should().OnlyContain(r => r.Outcome != RequestOutcome.Error);
        late.Count(r => r.Outcome == RequestOutcome.Success).Should().BeGreaterThanOrEqualTo((int)Math.Ceiling(late.Length * 0.95), "the chain is back to full answers");

        // B's breaker opened while D was down, and after D recovered went through half-open to closed. When D recovers
        // the breaker is open, or already half-open with probes on their way.
        List<BreakerTransition> timeline = [.. run.Resilient.BreakerTimeline];
        timeline.Should().Contain(t => t.State == CircuitBreakerState.Open && t.AtSeconds >= down.StartSeconds && t.AtSeconds < down.EndSeconds,
            "{0}; requests (sent at s: outcome, ms): {1}", Pool(run, down), Timeline(run.Resilient, down));
        int atRecovery = timeline.FindLastIndex(t => t.AtSeconds < recovered.StartSeconds);
        atRecovery.Should().BeGreaterThanOrEqualTo(0);
        timeline[atRecovery].State.Should().NotBe(CircuitBreakerState.Closed, "D was down just before");
        CircuitBreakerState[] fromRecovery = [.. timeline.Skip(atRecovery).Select(t => t.State)];
        fromRecovery.Should().ContainInConsecutiveOrder(CircuitBreakerState.HalfOpen, CircuitBreakerState.Closed);
        fromRecovery[^1].Should().Be(CircuitBreakerState.Closed);

        ReportWriter.Render(run).Should().Contain("D recovered");
    }

    [Fact]
    public void RunAsync_OneWarehouseInstanceFails_ItIsEjectedAndTheChainStaysHealthy()
    {
        DemoRun run = shortRun.Run;
        PhaseWindow oneFails = PhaseNamed(run, "one D fails");

        // Pricing v1's client ejects D1 after five 503s in a row; its demo-scaled base ejection time (5 s) outlasts the phase.
        run.Resilient.EjectionIntervals.Should().Contain(e => e.Endpoint == "D1" && e.Client == "C v1" && e.Reason == "consecutive_5xx"
            && e.StartSeconds >= oneFails.StartSeconds && e.StartSeconds < oneFails.StartSeconds + 2 && e.EndSeconds >= oneFails.EndSeconds);
        run.Resilient.EjectionIntervals.Where(e => e.StartSeconds < oneFails.EndSeconds).Should().OnlyContain(e => e.Endpoint == "D1");

        // The 503s before the ejection were retried on another instance: the chain answers in full. Once ejected, D1
        // gets only what Pricing v2's client (the canary's 5 %, with its own outlier detection, which needs five 503s
        // of its own) sends it: a few requests of the short phase's 2 s, far below its third.
        DemoStatistics.ForPhase(run.Resilient, oneFails).SuccessRate.Should().BeGreaterThanOrEqualTo(0.95);
        TrafficStatistics.Shares(run.Resilient, "Warehouse (D)", oneFails.StartSeconds + 2, oneFails.EndSeconds)
            .Single(s => s.Endpoint == "D1").Share.Should().BeLessThan(0.15);

        // The plain chain's round robin keeps sending D1 its third, and a third of the answers are fallbacks.
        TrafficStatistics.Shares(run.Plain, "Warehouse (D)", oneFails.StartSeconds, oneFails.EndSeconds)
            .Single(s => s.Endpoint == "D1").Share.Should().BeApproximately(1.0 / 3, 0.05);
        DemoStatistics.ForPhase(run.Plain, oneFails).SuccessRate.Should().BeLessThan(0.8);
        run.Plain.EjectionIntervals.Should().BeEmpty();
    }

    [Fact]
    public void RunAsync_Canary_PricingV2GetsAboutFivePercent()
    {
        DemoRun run = shortRun.Run;
        double end = run.Phases[^1].EndSeconds;

        IReadOnlyList<EndpointShare> pricing = TrafficStatistics.Shares(run.Resilient, "Pricing (C)", 0, end);

        pricing.Select(s => s.Endpoint).Should().Equal("C v1", "C v2");
        pricing.Sum(s => s.Requests).Should().BeGreaterThan(300);
        pricing[1].Share.Should().BeApproximately(DemoPhases.CanaryPercent / 100.0, CanaryTolerance);
        TrafficStatistics.Shares(run.Plain, "Pricing (C)", 0, end).Select(s => s.Endpoint).Should().Equal("C v1");
    }

    [Fact]
    public void Render_ShortRun_TrafficChartsWithTheEjectionBands()
    {
        DemoRun run = shortRun.Run;

        string html = ReportWriter.Render(run);
        var console = new StringWriter();
        new ConsoleReport(console).Summary(run);

        // Resilient Warehouse and Pricing, plain Warehouse (plain Pricing has one instance).
        System.Text.RegularExpressions.Regex.Count(html, "<svg class=\"chart chart-traffic\"").Should().Be(3);
        html.Should().Contain("D1 ejected by C v1&#39;s client (consecutive_5xx)");
        console.ToString().Should().MatchRegex(@"ejected \(resilient\): D1 by C v1's client, \d+\.\d s to \d+\.\d s \(consecutive_5xx\)")
            .And.Contain("traffic (resilient): D1 ");
    }

    // Each hop's client may open a connection while the run starts (2 chains, 4 hops) and again when one ends; a storm
    // of HTTP/1.1 reconnections is hundreds.
    private const int MaxHandshakesInRun = 24;

    [Fact]
    public async Task RunAsync_MutualTls_ChainsAnswerAndTheDirectCallToPricingIsRefusedWith403()
    {
        using var handshakes = new HandshakeCounter();
        DemoRun run = await CascadeRunner.RunAsync(new DemoSettings(Rate, TimeSpan.FromSeconds(2), ReportPath: null, Mtls: true), progress: null, CancellationToken.None);

        // The hops speak HTTP/2, so the connections made before the run carry it all, through the time-outs of "D down"
        // too. Over HTTP/1.1 each cancelled request closed its connection, and the hundreds of new handshakes that
        // followed stalled a busy two-core machine past the chains' time limits.
        handshakes.Since(run.StartedAt).Should().BeLessThanOrEqualTo(MaxHandshakesInRun);

        // Every hop spoke mutual TLS: full answers came through A → B → C → D, each server checked by its client.
        foreach (ChainRun chain in new[] { run.Resilient, run.Plain })
        {
            PhaseStats healthy = DemoStatistics.ForPhase(chain, run.Phases[0]);
            healthy.Requests.Should().BeGreaterThan((int)(Rate * 2 * 0.9), chain.Name);
            healthy.SuccessRate.Should().BeGreaterThanOrEqualTo(0.9, "{0} (sent at s: outcome, ms: {1}; {2})", chain.Name, Timeline(chain, run.Phases[0]), Pool(run, run.Phases[0]));
        }

        run.MutualTls.Should().Be(new MutualTlsCheck(OrderStatus: 403, InventoryStatus: 200));
        var console = new StringWriter();
        new ConsoleReport(console).Summary(run);
        console.ToString().Should().Contain("Order (A) -> Pricing (C) directly, with Order's identity: refused with 403 Forbidden.")
            .And.Contain("Pricing's policy accepts only Inventory (B); Inventory's identity got 200.");
        ReportWriter.Render(run).Should().Contain("refused with 403 Forbidden.");
    }

    /// <summary>Each request of <paramref name="phase"/>, to show in a failure: when it was due, its outcome and latency.</summary>
    private static string Timeline(ChainRun chain, PhaseWindow phase) => string.Join(", ", chain.Requests
        .Where(r => r.StartSeconds >= phase.StartSeconds && r.StartSeconds < phase.EndSeconds)
        .Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.StartSeconds:0.00}: {r.Outcome} {r.LatencyMs:0}")));

    /// <summary>The thread pool during <paramref name="phase"/>, to show in a failure: time limits fire late when it is starved.</summary>
    private static string Pool(DemoRun run, PhaseWindow phase)
    {
        ThreadPoolSample[] samples = [.. (run.PoolSamples ?? []).Where(s => s.AtSeconds >= phase.StartSeconds && s.AtSeconds < phase.EndSeconds)];
        if (samples.Length == 0)
        {
            return "no thread pool samples";
        }

        ThreadPoolSample busiest = samples.MaxBy(static s => s.Pending)!;
        double longestGap = samples.Zip(samples.Skip(1), static (a, b) => b.AtSeconds - a.AtSeconds).DefaultIfEmpty(0).Max();
        return string.Create(CultureInfo.InvariantCulture,
            $"thread pool: {samples.Min(static s => s.Threads)} to {samples.Max(static s => s.Threads)} threads, at most {busiest.Pending} items pending (at {busiest.AtSeconds:0.00} s), samples at most {longestGap:0.00} s apart");
    }

    /// <summary>Counts the TLS handshakes Kestrel completes in this process, with when each completed.</summary>
    private sealed class HandshakeCounter : IDisposable
    {
        private readonly System.Diagnostics.Metrics.MeterListener _listener = new();
        private readonly System.Collections.Concurrent.ConcurrentQueue<DateTimeOffset> _completed = new();

        public HandshakeCounter()
        {
            _listener.InstrumentPublished = static (instrument, listener) =>
            {
                if (instrument.Name == "kestrel.tls_handshake.duration")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<double>((_, _, _, _) => _completed.Enqueue(TimeProvider.System.GetUtcNow()));
            _listener.Start();
        }

        /// <summary>The handshakes completed at or after <paramref name="start"/>.</summary>
        public int Since(DateTimeOffset start) => _completed.Count(t => t >= start);

        public void Dispose() => _listener.Dispose();
    }

    private static PhaseWindow PhaseNamed(DemoRun run, string name) => run.Phases.Single(p => p.Name == name);

    [Fact]
    public void Parse_NoArguments_Defaults()
    {
        DemoSettings settings = DemoSettings.Parse([]);

        settings.Should().Be(new DemoSettings(40, TimeSpan.FromSeconds(10), "cascade-report.html"));
    }

    [Fact]
    public void Parse_Flags_Read()
    {
        DemoSettings settings = DemoSettings.Parse(["--rate", "12.5", "--phase", "3", "--report", "out.html"]);

        settings.Should().Be(new DemoSettings(12.5, TimeSpan.FromSeconds(3), "out.html"));
        DemoSettings.Parse(["--help"]).Help.Should().BeTrue();
        DemoSettings.Parse(["--mtls"]).Mtls.Should().BeTrue();
    }

    [Fact]
    public void Parse_DiscoveryEtcd_ReadsTheRegistry()
    {
        DemoSettings.Parse(["--discovery", "etcd"]).Etcd.Should().Be(DemoSettings.DefaultEtcd);
        DemoSettings.Parse(["--discovery", "etcd", "--etcd", "http://10.0.0.5:2379"]).Etcd.Should().Be(new Uri("http://10.0.0.5:2379"));
        DemoSettings.Parse(["--discovery", "configuration"]).Etcd.Should().BeNull();
    }

    [Fact]
    public void Parse_EtcdWithoutDiscoveryEtcd_MessageSaysSo()
    {
        Action parse = () => DemoSettings.Parse(["--etcd", "http://10.0.0.5:2379"]);

        parse.Should().Throw<FormatException>().WithMessage("--etcd needs --discovery etcd.");
    }

    [Theory]
    [InlineData("--rate", "fast", "--rate")]
    [InlineData("--rate", "0", "--rate")]
    [InlineData("--rate", "NaN", "--rate")]
    [InlineData("--phase", "-1", "--phase")]
    [InlineData("--phase", "100000", "--phase")]
    [InlineData("--report", " ", "--report")]
    [InlineData("--colour", "red", "--colour")]
    [InlineData("--discovery", "consul", "--discovery")]
    [InlineData("--etcd", "etcd:2379", "--etcd")]
    public void Parse_BadValue_MessageNamesTheFlag(string flag, string value, string named)
    {
        Action parse = () => DemoSettings.Parse([flag, value]);

        parse.Should().Throw<FormatException>().Which.Message.Should().Contain(named);
    }

    [Fact]
    public void Parse_MissingValue_MessageNamesTheFlag()
    {
        Action parse = () => DemoSettings.Parse(["--phase"]);

        parse.Should().Throw<FormatException>().WithMessage("*--phase*");
    }

    /// <summary>One short run (six phases of 4 s) shared by the tests that read it.</summary>
    public sealed class ShortRun : IAsyncLifetime
    {
        /// <summary>Gets the run.</summary>
        internal DemoRun Run { get; private set; } = null!;

        /// <inheritdoc/>
        public async Task InitializeAsync() =>
            Run = await CascadeRunner.RunAsync(new DemoSettings(Rate, Phase, ReportPath: null), progress: null, CancellationToken.None);

        /// <inheritdoc/>
        public Task DisposeAsync() => Task.CompletedTask;
    }
}
