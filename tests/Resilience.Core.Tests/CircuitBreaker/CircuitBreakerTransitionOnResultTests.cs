using Microsoft.Extensions.Time.Testing;
using Breaker = Resilience.CircuitBreaker;

namespace Resilience.Tests.CircuitBreaker;

/// <summary>Resilience4j's <c>transitionOnResult</c>: a hook that can open a closed breaker because of one call.</summary>
public class CircuitBreakerTransitionOnResultTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly List<(object? Result, Exception? Exception)> _asked = [];

    [Fact]
    public void RecordResult_HookAsksToOpenFor_OpensForThatWait()
    {
        Breaker breaker = Create((r, _) => r is "quota exhausted" ? CircuitBreakerTransitionCheck.OpenFor(TimeSpan.FromSeconds(30)) : CircuitBreakerTransitionCheck.None);

        breaker.AcquirePermission().RecordResult("fine");
        breaker.State.Should().Be(CircuitBreakerState.Closed);
        breaker.AcquirePermission().RecordResult("quota exhausted");

        breaker.State.Should().Be(CircuitBreakerState.Open);
        Assert.Throws<CallNotPermittedException>(() => breaker.AcquirePermission()).RetryAfter.Should().Be(TimeSpan.FromSeconds(30));
        _time.Advance(TimeSpan.FromSeconds(30));
        breaker.IsCallPermitted.Should().BeTrue();
    }

    [Fact]
    public void RecordFailure_HookAsksToOpenUntil_OpensUntilThatInstant()
    {
        DateTimeOffset until = _time.GetUtcNow() + TimeSpan.FromMinutes(2);
        Breaker breaker = Create((_, ex) => ex is InvalidOperationException ? CircuitBreakerTransitionCheck.OpenUntil(until) : CircuitBreakerTransitionCheck.None);

        breaker.AcquirePermission().RecordFailure(new InvalidOperationException("banned"));

        breaker.State.Should().Be(CircuitBreakerState.Open);
        _time.Advance(TimeSpan.FromMinutes(2) - TimeSpan.FromTicks(1));
        breaker.IsCallPermitted.Should().BeFalse();
        _time.Advance(TimeSpan.FromTicks(1));
        breaker.IsCallPermitted.Should().BeTrue();
    }

    [Fact]
    public void RecordFailure_BareOpen_OpensForTheUsualWaitInsteadOfThrowing()
    {
        Breaker breaker = Create((_, ex) => ex is not null ? CircuitBreakerTransitionCheck.Open() : CircuitBreakerTransitionCheck.None);

        breaker.AcquirePermission().RecordFailure(new TimeoutException());

        breaker.State.Should().Be(CircuitBreakerState.Open, "Resilience4j throws IllegalArgumentException here and leaves the breaker stuck; the port opens it");
        Assert.Throws<CallNotPermittedException>(() => breaker.AcquirePermission()).RetryAfter.Should().Be(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public void Hook_AskedOnlyAboutRecordedCalls_NotAboutIgnoredFailedResultsOrNulls()
    {
        Breaker breaker = Create(
            (r, ex) => { _asked.Add((r, ex)); return CircuitBreakerTransitionCheck.None; },
            o =>
            {
                o.IgnoreExceptions.Add(typeof(ArgumentException));
                o.RecordResultPredicate = static r => r is "bad";
            });
        var recorded = new TimeoutException();
        var ignored = new ArgumentException("ignored");

        breaker.AcquirePermission().RecordFailure(recorded);
        breaker.AcquirePermission().RecordFailure(ignored);
        breaker.AcquirePermission().RecordResult("bad");
        breaker.AcquirePermission().RecordResult<string?>(null);
        breaker.AcquirePermission().RecordResult("good");
        breaker.AcquirePermission().RecordSuccess();

        _asked.Should().Equal((null, recorded), ("good", null));
    }

    [Fact]
    public void Hook_HalfOpenBreaker_DoesNotAct()
    {
        Breaker breaker = Create((_, _) => CircuitBreakerTransitionCheck.OpenFor(TimeSpan.FromSeconds(5)), o => o.PermittedNumberOfCallsInHalfOpenState = 3);
        breaker.TransitionToOpenState();
        breaker.TransitionToHalfOpenState();

        breaker.AcquirePermission().RecordResult("anything");

        breaker.State.Should().Be(CircuitBreakerState.HalfOpen, "only the closed state acts on the answer");
    }

    [Fact]
    public void RecordFailure_ExceptionNotRecorded_HookIsAskedAndMayOpen()
    {
        var notRecorded = new InvalidOperationException("counted as a success");
        Breaker breaker = Create(
            (r, ex) => { _asked.Add((r, ex)); return ex is not null ? CircuitBreakerTransitionCheck.Open() : CircuitBreakerTransitionCheck.None; },
            o => o.RecordExceptions.Add(typeof(TimeoutException)));

        breaker.AcquirePermission().RecordFailure(notRecorded);

        _asked.Should().Equal((null, notRecorded));
        breaker.GetMetrics().NumberOfFailedCalls.Should().Be(0);
        breaker.State.Should().Be(CircuitBreakerState.Open, "the hook is asked about every call that is not ignored");
    }

    [Fact]
    public void RecordResult_HookAsksToOpenUntilBeyondTheMaximumWait_OpensForTheMaximumWait()
    {
        TimeSpan maximum = TimeSpan.FromMilliseconds(uint.MaxValue - 1);
        DateTimeOffset until = _time.GetUtcNow() + TimeSpan.FromDays(100);
        Breaker breaker = Create((r, _) => r is "banned" ? CircuitBreakerTransitionCheck.OpenUntil(until) : CircuitBreakerTransitionCheck.None);

        breaker.AcquirePermission().RecordResult("banned");

        Assert.Throws<CallNotPermittedException>(() => breaker.AcquirePermission()).RetryAfter.Should().Be(maximum, "the wait is capped at about 49.7 days");
        _time.Advance(maximum);
        breaker.IsCallPermitted.Should().BeTrue();
    }

    [Fact]
    public void OpenFor_OutOfRange_Throws()
    {
        Action tooShort = () => CircuitBreakerTransitionCheck.OpenFor(TimeSpan.Zero);

        tooShort.Should().Throw<ArgumentOutOfRangeException>();
        CircuitBreakerTransitionCheck.None.RequestsOpen.Should().BeFalse();
        CircuitBreakerTransitionCheck.Open().Should().NotBe(CircuitBreakerTransitionCheck.None);
    }

    private Breaker Create(Func<object?, Exception?, CircuitBreakerTransitionCheck> hook, Action<CircuitBreakerOptions>? configure = null)
    {
        var options = new CircuitBreakerOptions { TransitionOnResult = hook };
        configure?.Invoke(options);
        return new Breaker("hook", options, _time);
    }
}
