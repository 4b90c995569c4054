using Microsoft.Extensions.Time.Testing;
using Resilience.Routing.Internal;

namespace Resilience.Routing.Tests.Outliers;

public sealed partial class OutlierDetectorTests : IDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);
    private readonly FakeTimeProvider _time = new();
    private readonly OutlierTelemetry _telemetry = new();
    private readonly List<(string Endpoint, EjectionReason Reason)> _ejections = [];
    private readonly List<string> _returns = [];
    private readonly string _service = "svc-" + Guid.NewGuid().ToString("N");
    private OutlierDetector? _detector;

    public void Dispose()
    {
        _detector?.Dispose();
        _telemetry.Dispose();
    }

    [Fact]
    public void Record_FifthConsecutive5xx_EjectsInline()
    {
        OutlierStatistics[] endpoints = Create(new OutlierDetectionOptions { MaxEjectionPercent = 100 }, 2);

        Fail(endpoints[0], EndpointOutcome.ServerError, 4);
        _detector!.IsEjected(endpoints[0]).Should().BeFalse();
        Fail(endpoints[0], EndpointOutcome.ServerError, 1);

        _detector.IsEjected(endpoints[0]).Should().BeTrue();
        _detector.IsEjected(endpoints[1]).Should().BeFalse();
        _ejections.Should().Equal(("e0", EjectionReason.Consecutive5xx));
    }

    [Fact]
    public void Record_SuccessBetweenErrors_ResetsConsecutiveCount()
    {
        OutlierStatistics[] endpoints = Create(new OutlierDetectionOptions { MaxEjectionPercent = 100 }, 1);

        Fail(endpoints[0], EndpointOutcome.ServerError, 4);
        _detector!.Record(endpoints[0], EndpointOutcome.Success);
        Fail(endpoints[0], EndpointOutcome.ServerError, 4);

        _detector.IsEjected(endpoints[0]).Should().BeFalse();
    }

    [Fact]
    public void Record_CallerCancelled_IsNeverCounted()
    {
        OutlierStatistics[] endpoints = Create(new OutlierDetectionOptions { MaxEjectionPercent = 100, Interval = TimeSpan.FromSeconds(1) }, 1);

        Fail(endpoints[0], EndpointOutcome.ServerError, 4);
        Fail(endpoints[0], EndpointOutcome.CallerCancelled, 50);
        _time.Advance(TimeSpan.FromSeconds(1));

        endpoints[0].LastIntervalRequests.Should().Be(4, "cancellations are neither requests nor failures");
        Fail(endpoints[0], EndpointOutcome.ServerError, 1);
        _detector!.IsEjected(endpoints[0]).Should().BeTrue("a cancellation does not break a run of failures either");
    }

    [Fact]
    public void Record_GatewayFailures_GatewayDetectorOffByDefault()
    {
        OutlierStatistics[] endpoints = Create(new OutlierDetectionOptions { MaxEjectionPercent = 100, Consecutive5xx = 0 }, 1);

        Fail(endpoints[0], EndpointOutcome.GatewayFailure, 20);

        _detector!.IsEjected(endpoints[0]).Should().BeFalse();
        _ejections.Should().BeEmpty();
    }

    [Fact]
    public void Record_GatewayFailuresWithEnforcing_EjectsOnFifthWithGatewayReason()
    {
        var options = new OutlierDetectionOptions { MaxEjectionPercent = 100, Consecutive5xx = 0, EnforcingConsecutiveGatewayFailure = 100 };
        OutlierStatistics[] endpoints = Create(options, 2);

        Fail(endpoints[0], EndpointOutcome.GatewayFailure, 4);
        Fail(endpoints[0], EndpointOutcome.LocalOriginFailure, 1);
        Fail(endpoints[1], EndpointOutcome.GatewayFailure, 4);
        Fail(endpoints[1], EndpointOutcome.ServerError, 1);
        Fail(endpoints[1], EndpointOutcome.GatewayFailure, 4);

        _detector!.IsEjected(endpoints[0]).Should().BeTrue("a connection failure is a gateway failure");
        _detector.IsEjected(endpoints[1]).Should().BeFalse("a 500 breaks a run of gateway failures");
        _ejections.Should().Equal(("e0", EjectionReason.ConsecutiveGatewayFailure));
    }

    [Fact]
    public void Record_GatewayFailures_CountForConsecutive5xx()
    {
        OutlierStatistics[] endpoints = Create(new OutlierDetectionOptions { MaxEjectionPercent = 100 }, 1);

        Fail(endpoints[0], EndpointOutcome.GatewayFailure, 3);
        Fail(endpoints[0], EndpointOutcome.ServerError, 2);

        _ejections.Should().Equal(("e0", EjectionReason.Consecutive5xx));
    }

    [Fact]
    public void IsEjected_BaseEjectionTimeElapsed_ReturnsWithoutWaitingForSweep()
    {
        OutlierStatistics[] endpoints = Create(new OutlierDetectionOptions { MaxEjectionPercent = 100, Interval = TimeSpan.FromDays(1) }, 1);
        Fail(endpoints[0], EndpointOutcome.ServerError, 5);

        _time.Advance(TimeSpan.FromSeconds(30) - Tick);
        _detector!.IsEjected(endpoints[0]).Should().BeTrue();
        _time.Advance(Tick);

        _detector.IsEjected(endpoints[0]).Should().BeFalse();
        _detector.EjectedCount.Should().Be(0);
        _returns.Should().Equal("e0");
    }

    [Fact]
    public void Record_RepeatedEjections_EjectionTimeGrowsByBaseAndCapsAtMax()
    {
        var options = new OutlierDetectionOptions { MaxEjectionPercent = 100, Interval = TimeSpan.FromDays(1), MaxEjectionTime = TimeSpan.FromSeconds(100) };
        OutlierStatistics[] endpoints = Create(options, 1);
        var durations = new List<TimeSpan>();

        for (int i = 0; i < 6; i++)
        {
            Fail(endpoints[0], EndpointOutcome.ServerError, 5);
            durations.Add(EjectionLength(endpoints[0]));
        }

        durations.Should().Equal(
            TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(90),
            TimeSpan.FromSeconds(100), TimeSpan.FromSeconds(100), TimeSpan.FromSeconds(100));
        endpoints[0].EjectionCount.Should().Be(6);
    }

    [Fact]
    public void Sweep_HealthyIntervals_DecayMultiplierByOneEach()
    {
        OutlierStatistics[] endpoints = Create(new OutlierDetectionOptions { MaxEjectionPercent = 100 }, 1);
        Fail(endpoints[0], EndpointOutcome.ServerError, 5);
        Step(3);
        _detector!.IsEjected(endpoints[0]).Should().BeFalse();
        Fail(endpoints[0], EndpointOutcome.ServerError, 5);
        endpoints[0].Backoff.Should().Be(2);

        Step(6);
        _detector.IsEjected(endpoints[0]).Should().BeFalse("60 s have passed");
        endpoints[0].Backoff.Should().Be(2, "the endpoint has not yet been back for an interval");
        Step(1);
        endpoints[0].Backoff.Should().Be(1);
        Step(1);
        endpoints[0].Backoff.Should().Be(0);
        Step(1);
        endpoints[0].Backoff.Should().Be(0);

        Fail(endpoints[0], EndpointOutcome.ServerError, 5);
        endpoints[0].Backoff.Should().Be(1);
        endpoints[0].EjectedUntil.Should().Be(TimeSpan.FromSeconds(150).Ticks, "a decayed endpoint is ejected for the base time again");
    }

    [Fact]
    public void Record_TenEndpointsTenPercent_EjectsOneAtATime()
    {
        OutlierStatistics[] endpoints = Create(new OutlierDetectionOptions { Interval = TimeSpan.FromDays(1) }, 10);

        Fail(endpoints[0], EndpointOutcome.ServerError, 5);
        Fail(endpoints[1], EndpointOutcome.ServerError, 5);

        _detector!.IsEjected(endpoints[0]).Should().BeTrue();
        _detector.IsEjected(endpoints[1]).Should().BeFalse("a second ejection would make 20 % of 10 endpoints");
        _detector.EjectedCount.Should().Be(1);

        _time.Advance(TimeSpan.FromSeconds(30));
        _detector.IsEjected(endpoints[0]).Should().BeFalse();
        Fail(endpoints[1], EndpointOutcome.ServerError, 5);
        _detector.IsEjected(endpoints[1]).Should().BeTrue();
    }

    [Fact]
    public void Record_FewerEndpointsThanPercentAllows_EjectsNone()
    {
        OutlierStatistics[] endpoints = Create(new OutlierDetectionOptions(), 5);

        Fail(endpoints[0], EndpointOutcome.ServerError, 5);

        _detector!.IsEjected(endpoints[0]).Should().BeFalse("10 % of 5 endpoints is less than one");
    }

    [Fact]
    public void Record_AlwaysEjectOneHost_EjectsOneBeyondPercent()
    {
        OutlierStatistics[] endpoints = Create(new OutlierDetectionOptions { AlwaysEjectOneHost = true }, 5);

        Fail(endpoints[0], EndpointOutcome.ServerError, 5);
        Fail(endpoints[1], EndpointOutcome.ServerError, 5);

        _detector!.IsEjected(endpoints[0]).Should().BeTrue();
        _detector.IsEjected(endpoints[1]).Should().BeFalse("only one endpoint may be ejected beyond the percentage");
    }

    [Fact]
    public void Record_ConcurrentFailuresOnAllEndpoints_NeverExceedsMaxEjectionPercent()
    {
        OutlierStatistics[] endpoints = Create(new OutlierDetectionOptions { MaxEjectionPercent = 30, Interval = TimeSpan.FromDays(1) }, 10);

        Parallel.For(0, 8, worker =>
        {
            for (int i = 0; i < 1000; i++)
            {
                _detector!.Record(endpoints[(worker + i) % endpoints.Length], EndpointOutcome.ServerError);
            }
        });

        _detector!.EjectedCount.Should().Be(3);
        endpoints.Count(_detector.IsEjected).Should().Be(3);
    }

    [Fact]
    public void Forget_EjectedEndpoint_FreesItsPlaceUnderTheCap()
    {
        OutlierStatistics[] endpoints = Create(new OutlierDetectionOptions { Interval = TimeSpan.FromDays(1) }, 10);
        Fail(endpoints[0], EndpointOutcome.ServerError, 5);

        _detector!.Forget("e0");
        _detector.Track("e10");
        Fail(endpoints[1], EndpointOutcome.ServerError, 5);

        _detector.EjectedCount.Should().Be(1);
        _detector.IsEjected(endpoints[1]).Should().BeTrue();
        _detector.IsEjected(endpoints[0]).Should().BeFalse();
    }

    [Fact]
    public void RecordAndIsEjected_SteadyState_AllocateNothing()
    {
        OutlierStatistics[] endpoints = Create(new OutlierDetectionOptions(), 2);
        _detector!.Record(endpoints[0], EndpointOutcome.Success);
        _detector.IsEjected(endpoints[0]);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            _detector.Record(endpoints[0], EndpointOutcome.Success);
            _detector.Record(endpoints[1], EndpointOutcome.ServerError);
            _detector.Record(endpoints[1], EndpointOutcome.CallerCancelled);
            _detector.IsEjected(endpoints[0]);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }

    [Fact]
    public void Track_SameKeyTwice_ReturnsSameStatistics()
    {
        Create(new OutlierDetectionOptions(), 0);

        _detector!.Track("a").Should().BeSameAs(_detector.Track("a"));
        _detector.EndpointCount.Should().Be(1);
    }

    private OutlierStatistics[] Create(OutlierDetectionOptions options, int count, Random? random = null)
    {
        _detector = new OutlierDetector(_service, options, _time, _telemetry, random);
        _detector.Ejected += (endpoint, reason) => _ejections.Add((endpoint.Key, reason));
        _detector.Returned += endpoint => _returns.Add(endpoint.Key);
        return Enumerable.Range(0, count).Select(i => _detector.Track("e" + i)).ToArray();
    }

    private void Fail(OutlierStatistics endpoint, EndpointOutcome outcome, int times)
    {
        for (int i = 0; i < times; i++)
        {
            _detector!.Record(endpoint, outcome);
        }
    }

    private void Step(int intervals)
    {
        for (int i = 0; i < intervals; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>Measures the current ejection by advancing the clock until the endpoint returns (one second at a time).</summary>
    private TimeSpan EjectionLength(OutlierStatistics endpoint)
    {
        TimeSpan waited = TimeSpan.Zero;
        while (_detector!.IsEjected(endpoint))
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            waited += TimeSpan.FromSeconds(1);
        }

        return waited;
    }
}
