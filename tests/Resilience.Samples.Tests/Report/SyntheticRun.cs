using CascadeDemo;

namespace Resilience.Samples.Tests.Report;

/// <summary>Builds demo runs without running the services: a realistic one for the sample report, and small ones for tests.</summary>
/// <remarks>The realistic run imitates what the demo shows: 5 phases of 20 s at 40 requests/s; the resilient chain's
/// breaker opens when D hangs and probes in half-open every 5 s; the plain chain's requests hang until the run ends.</remarks>
internal static class SyntheticRun
{
    public static readonly DateTimeOffset StartedAt = new(2026, 11, 24, 12, 30, 0, TimeSpan.Zero);

    public static readonly PhaseWindow[] Phases =
    [
        new("healthy", "every request answers in about 5 ms", 0, 20),
        new("D slow", "every request waits 300 ms", 20, 40),
        new("D failing", "half the requests fail with 503", 40, 60),
        new("D down", "every request hangs", 60, 80),
        new("D recovered", "every request answers in about 5 ms", 80, 100),
    ];

    /// <summary>A run that looks like a real one, with noise from a fixed seed.</summary>
    public static DemoRun Realistic(int seed = 5)
    {
        var random = new Random(seed);
        const double Rps = 40, End = 100;
        var resilient = new List<RequestSample>();
        var plain = new List<RequestSample>();
        for (int i = 0; i < Rps * End; i++)
        {
            double t = i / Rps;
            double noise = Math.Exp(random.NextDouble() * 0.8) * (random.NextDouble() < 0.02 ? 4 : 1);
            resilient.Add(ResilientRequest(t, noise, random));
            plain.Add(PlainRequest(t, noise, random, End));
        }

        var transitions = new List<BreakerTransition>
        {
            new(0, CircuitBreakerState.Closed),
            new(47.3, CircuitBreakerState.Open), new(52.3, CircuitBreakerState.HalfOpen), new(52.6, CircuitBreakerState.Closed),
            new(61.2, CircuitBreakerState.Open),
        };
        for (double t = 66.2; t < 80; t += 5.3)
        {
            transitions.Add(new(t, CircuitBreakerState.HalfOpen));
            transitions.Add(new(t + 1.0, CircuitBreakerState.Open));
        }

        transitions.Add(new(82.1, CircuitBreakerState.HalfOpen));
        transitions.Add(new(82.6, CircuitBreakerState.Closed));

        return new DemoRun(
            StartedAt,
            Rps,
            TimeSpan.FromSeconds(1),
            Phases,
            new ChainRun("resilient", resilient, InFlight(resilient, End), transitions),
            new ChainRun("plain", plain, InFlight(plain, End), []));
    }

    /// <summary>A run with the given phases and chains, and defaults for the rest.</summary>
    public static DemoRun With(IReadOnlyList<PhaseWindow> phases, ChainRun resilient, ChainRun plain) =>
        new(StartedAt, 20, TimeSpan.FromMilliseconds(500), phases, resilient, plain);

    private static RequestSample ResilientRequest(double t, double noise, Random random) => t switch
    {
        < 20 => new(t, 4 * noise, RequestOutcome.Success),
        < 40 => new(t, 300 + (12 * noise), RequestOutcome.Success),
        < 60 when t is >= 47.3 and < 52.3 => new(t, 2 * noise, RequestOutcome.Fallback),
        < 60 => random.NextDouble() < 0.92 ? new(t, 8 * noise, RequestOutcome.Success) : new(t, 12 * noise, RequestOutcome.Fallback),
        // The first second of the hang, before the breaker opens: each request waits out the per-attempt limit.
        < 61.2 => new(t, 1000 + (20 * noise), RequestOutcome.Fallback),
        < 80 => new(t, 1.5 * noise, RequestOutcome.Fallback),
        < 82.6 => random.NextDouble() < 0.1 ? new(t, 5 * noise, RequestOutcome.Success) : new(t, 1.5 * noise, RequestOutcome.Fallback),
        _ => new(t, 4 * noise, RequestOutcome.Success),
    };

    private static RequestSample PlainRequest(double t, double noise, Random random, double end) => t switch
    {
        < 20 => new(t, 4 * noise, RequestOutcome.Success),
        < 40 => new(t, 300 + (12 * noise), RequestOutcome.Success),
        < 60 => random.NextDouble() < 0.5 ? new(t, 6 * noise, RequestOutcome.Success) : new(t, 5 * noise, RequestOutcome.Error),
        // D hangs and nothing gives up before the run ends: the request has waited until then, and counts as an error.
        < 80 => new(t, (end - t) * 1000, RequestOutcome.Error),
        _ => new(t, 4 * noise, RequestOutcome.Success),
    };

    private static List<InFlightSample> InFlight(List<RequestSample> requests, double end)
    {
        var samples = new List<InFlightSample>();
        for (double at = 0; at <= end; at += 0.25)
        {
            int count = requests.Count(r => r.StartSeconds <= at && r.StartSeconds + (r.LatencyMs / 1000) >= at);
            samples.Add(new(at, count));
        }

        return samples;
    }
}
