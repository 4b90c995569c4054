using Microsoft.Extensions.Time.Testing;
using Breaker = Resilience.CircuitBreaker;

namespace Resilience.Tests.CircuitBreaker;

/// <summary>How <c>CircuitBreaker.Recording.cs</c> counts a call: slow or not, failure or success, at the edges of each rule.</summary>
public class CircuitBreakerRecordingTests
{
    private static readonly TimeSpan SlowThreshold = TimeSpan.FromSeconds(1);
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void RecordResult_ResultRecordedAsFailure_IsSlowOnlyAboveTheThreshold()
    {
        Breaker breaker = Create(o => o.RecordResultPredicate = static r => r is "bad");

        breaker.AcquirePermission().RecordResult(SlowThreshold, "bad");
        breaker.AcquirePermission().RecordResult(SlowThreshold + TimeSpan.FromTicks(1), "bad");

        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        metrics.NumberOfFailedCalls.Should().Be(2);
        metrics.NumberOfSlowFailedCalls.Should().Be(1, "a call exactly at the threshold is not slow");
        metrics.NumberOfSlowSuccessfulCalls.Should().Be(0);
    }

    [Fact]
    public void RecordFailure_ExceptionNotRecorded_IsASlowSuccessAboveTheThreshold()
    {
        Breaker breaker = Create(o => o.RecordExceptions.Add(typeof(TimeoutException)));

        breaker.AcquirePermission().RecordFailure(SlowThreshold + TimeSpan.FromTicks(1), new InvalidOperationException("not recorded"));
        breaker.AcquirePermission().RecordFailure(SlowThreshold, new InvalidOperationException("not recorded"));

        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        metrics.NumberOfBufferedCalls.Should().Be(2);
        metrics.NumberOfFailedCalls.Should().Be(0);
        metrics.NumberOfSlowSuccessfulCalls.Should().Be(1);
    }

    [Fact]
    public void RecordFailure_IgnorePredicateSaysNo_IsRecordedAsAFailure()
    {
        Breaker breaker = Create(o => o.IgnoreExceptionPredicate = static e => e is ArgumentException);

        breaker.AcquirePermission().RecordFailure(new InvalidOperationException("not ignored")).Outcome.Should().Be(CircuitBreakerCallOutcome.Failure);
        breaker.AcquirePermission().RecordFailure(new ArgumentException("ignored")).Outcome.Should().Be(CircuitBreakerCallOutcome.Ignored);

        breaker.GetMetrics().NumberOfBufferedCalls.Should().Be(1);
        breaker.GetMetrics().NumberOfFailedCalls.Should().Be(1);
    }

#if !DEBUG
    [Fact]
    public void RecordResult_RecordedAsFailureWithoutAnErrorSubscriber_AllocatesNothing()
    {
        Breaker breaker = Create(o =>
        {
            o.SlidingWindowSize = 1_000;
            o.MinimumNumberOfCalls = 1_000;
            o.RecordResultPredicate = static r => r is "bad";
        });
        breaker.Events.StateTransition += static _ => { };
        Run(breaker, 10);

        long before = GC.GetAllocatedBytesForCurrentThread();
        Run(breaker, 100);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        allocated.Should().Be(0, "the exception that stands for a failed result is built only for an Error subscriber");
        breaker.GetMetrics().NumberOfFailedCalls.Should().Be(110);

        static void Run(Breaker breaker, int count)
        {
            for (int i = 0; i < count; i++)
            {
                breaker.AcquirePermission().RecordResult(TimeSpan.Zero, "bad");
            }
        }
    }
#endif

    private Breaker Create(Action<CircuitBreakerOptions> configure)
    {
        var options = new CircuitBreakerOptions { SlowCallDurationThreshold = SlowThreshold, SlidingWindowSize = 10, MinimumNumberOfCalls = 10 };
        configure(options);
        return new Breaker("recording", options, _time);
    }
}
