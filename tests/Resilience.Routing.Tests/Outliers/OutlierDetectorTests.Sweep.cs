using System.Diagnostics.Metrics;
using Resilience.Routing.Internal;

namespace Resilience.Routing.Tests.Outliers;

public sealed partial class OutlierDetectorTests
{
    [Fact]
    public void Sweep_SuccessRateBelowMeanMinusFactorStdev_Ejects()
    {
        // Envoy's worked example: success rates {50, 100, 100, 100, 100} give mean 90, stdev 20, threshold 52.
        OutlierStatistics[] endpoints = Create(RateOptions(), 5);
        Load(endpoints[0], 100, failures: 50);
        foreach (OutlierStatistics endpoint in endpoints[1..])
        {
            Load(endpoint, 100, failures: 0);
        }

        Step(1);

        _ejections.Should().Equal(("e0", EjectionReason.SuccessRate));
    }

    [Fact]
    public void Sweep_SuccessRateWithTooFewEndpointsWithVolume_DoesNotEject()
    {
        OutlierStatistics[] endpoints = Create(RateOptions(), 5);
        Load(endpoints[0], 100, failures: 50);
        Load(endpoints[1], 99, failures: 0);
        foreach (OutlierStatistics endpoint in endpoints[2..])
        {
            Load(endpoint, 100, failures: 0);
        }

        Step(1);

        _ejections.Should().BeEmpty("only 4 endpoints reached the request volume of 100");
    }

    [Fact]
    public void Sweep_SuccessRateCountsOnlyTheLastInterval()
    {
        OutlierStatistics[] endpoints = Create(RateOptions(), 5);
        Load(endpoints[0], 100, failures: 50);
        Step(1);
        _ejections.Should().BeEmpty("the other endpoints had no traffic");
        foreach (OutlierStatistics endpoint in endpoints[1..])
        {
            Load(endpoint, 100, failures: 0);
        }

        Step(1);

        _ejections.Should().BeEmpty("endpoint e0's failures belong to the interval before");
    }

    [Fact]
    public void Sweep_FailurePercentage_OffByDefault()
    {
        OutlierStatistics[] endpoints = Create(RateOptions(enforcingSuccessRate: 0), 5);
        foreach (OutlierStatistics endpoint in endpoints)
        {
            Load(endpoint, 100, failures: 90);
        }

        Step(1);

        _ejections.Should().BeEmpty();
    }

    [Fact]
    public void Sweep_FailurePercentageAtThreshold_Ejects()
    {
        var options = RateOptions(enforcingSuccessRate: 0);
        options.EnforcingFailurePercentage = 100;
        OutlierStatistics[] endpoints = Create(options, 5);
        Load(endpoints[0], 100, failures: 85);
        Load(endpoints[1], 100, failures: 84);
        Load(endpoints[2], 49, failures: 49);
        Load(endpoints[3], 50, failures: 0);
        Load(endpoints[4], 50, failures: 0);

        Step(1);

        _ejections.Should().BeEmpty("only 4 endpoints reached the request volume of 50");
        Load(endpoints[0], 100, failures: 85);
        Load(endpoints[1], 100, failures: 84);
        Load(endpoints[2], 50, failures: 50);
        Load(endpoints[3], 50, failures: 0);
        Load(endpoints[4], 50, failures: 0);

        Step(1);

        _ejections.Should().BeEquivalentTo([("e0", EjectionReason.FailurePercentage), ("e2", EjectionReason.FailurePercentage)]);
    }

    [Fact]
    public void Record_EnforcingBelowHundred_RollsTheSeededRandom()
    {
        var options = new OutlierDetectionOptions { MaxEjectionPercent = 100, EnforcingConsecutive5xx = 50, Interval = TimeSpan.FromDays(1) };
        OutlierStatistics[] endpoints = Create(options, 1, new Random(7));
        var expected = new Random(7);
        int expectedEjections = 0;

        for (int run = 0; run < 20 && expectedEjections == 0; run++)
        {
            if (expected.Next(100) < 50)
            {
                expectedEjections++;
            }

            Fail(endpoints[0], EndpointOutcome.ServerError, 5);
        }

        _ejections.Should().HaveCount(expectedEjections);
    }

    [Theory]
    [InlineData(1, 4, 50, true)]
    [InlineData(2, 4, 50, false)]
    [InlineData(4, 10, 50, true)]
    [InlineData(5, 10, 50, false)]
    [InlineData(0, 4, 0, false)]
    [InlineData(0, 0, 50, true)]
    [InlineData(99, 100, 100, true)]
    public void IsPanic_HealthyShareAgainstThreshold_MatchesEnvoy(int healthy, int total, int threshold, bool expected) =>
        OutlierDetector.IsPanic(healthy, total, threshold).Should().Be(expected);

    [Fact]
    public void SelectCandidates_AboveThreshold_ReturnsHealthyOnly_BelowReturnsAll()
    {
        OutlierStatistics[] endpoints = Create(new OutlierDetectionOptions { MaxEjectionPercent = 100 }, 4);
        var buffer = new OutlierStatistics[4];
        Fail(endpoints[0], EndpointOutcome.ServerError, 5);
        Fail(endpoints[1], EndpointOutcome.ServerError, 5);

        int count = _detector!.SelectCandidates<OutlierStatistics>(endpoints, static e => e, buffer, out bool panic);
        panic.Should().BeFalse();
        buffer[..count].Should().Equal(endpoints[2], endpoints[3]);

        Fail(endpoints[2], EndpointOutcome.ServerError, 5);
        count = _detector.SelectCandidates<OutlierStatistics>(endpoints, static e => e, buffer, out panic);

        panic.Should().BeTrue("1 healthy endpoint of 4 is below 50 %");
        buffer[..count].Should().Equal(endpoints);
    }

    [Fact]
    public void SelectCandidates_PanicThresholdZero_NeverPanics()
    {
        OutlierStatistics[] endpoints = Create(new OutlierDetectionOptions { MaxEjectionPercent = 100, HealthyPanicThreshold = 0 }, 2);
        var buffer = new OutlierStatistics[2];
        Fail(endpoints[0], EndpointOutcome.ServerError, 5);
        Fail(endpoints[1], EndpointOutcome.ServerError, 5);

        int count = _detector!.SelectCandidates<OutlierStatistics>(endpoints, static e => e, buffer, out bool panic);

        panic.Should().BeFalse();
        count.Should().Be(0);
    }

    [Fact]
    public void Record_EjectionAndReturn_EmitMetricsWithReason()
    {
        var measurements = new List<(string Instrument, string? Endpoint, string? Reason)>();
        OutlierStatistics[] endpoints = Create(new OutlierDetectionOptions { MaxEjectionPercent = 50, Interval = TimeSpan.FromDays(1) }, 2);
        string service = _service;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == OutlierTelemetry.MeterName && instrument.Name.StartsWith("resilience.routing.ejection", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) =>
        {
            var map = new Dictionary<string, object?>();
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                map[tag.Key] = tag.Value;
            }

            if (Equals(map.GetValueOrDefault("service"), service))
            {
                lock (measurements)
                {
                    measurements.Add((instrument.Name, map.GetValueOrDefault("endpoint") as string, map.GetValueOrDefault("reason") as string));
                }
            }
        });
        listener.Start();

        Fail(endpoints[0], EndpointOutcome.ServerError, 5);
        Fail(endpoints[1], EndpointOutcome.ServerError, 5);
        _time.Advance(TimeSpan.FromSeconds(30));
        _detector!.IsEjected(endpoints[0]).Should().BeFalse();

        measurements.Should().Equal(
            ("resilience.routing.ejections", "e0", "consecutive_5xx"),
            ("resilience.routing.ejections.overflow", "e1", "consecutive_5xx"),
            ("resilience.routing.ejection_returns", "e0", null));
    }

    private static OutlierDetectionOptions RateOptions(int enforcingSuccessRate = 100) => new()
    {
        Consecutive5xx = 0,
        MaxEjectionPercent = 100,
        EnforcingSuccessRate = enforcingSuccessRate,
    };

    /// <summary>Records <paramref name="requests"/> outcomes, the failures spread among them.</summary>
    private void Load(OutlierStatistics endpoint, int requests, int failures)
    {
        for (int i = 0; i < requests; i++)
        {
            _detector!.Record(endpoint, i < failures ? EndpointOutcome.ServerError : EndpointOutcome.Success);
        }
    }
}
