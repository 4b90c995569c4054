namespace Resilience.DependencyInjection.Tests.Reload;

public class ResilienceReloadTests
{
    private static readonly TimeProvider Time = TimeProvider.System;

    [Fact]
    public void AreEqual_ListsByItemsAndDelegatesByReference()
    {
        Func<Exception, bool> predicate = static _ => true;
        var left = new CircuitBreakerOptions { RecordExceptionPredicate = predicate };
        var right = new CircuitBreakerOptions { RecordExceptionPredicate = predicate };
        left.RecordExceptions.Add(typeof(TimeoutException));
        right.RecordExceptions.Add(typeof(TimeoutException));

        ResilienceReload.AreEqual(left, right).Should().BeTrue();
        right.RecordExceptionPredicate = static _ => true;
        ResilienceReload.AreEqual(left, right).Should().BeFalse();
        ResilienceReload.AreEqual(new RetryOptions { MaxAttempts = 2 }, new RetryOptions { MaxAttempts = 3 }).Should().BeFalse();
    }

    [Theory]
    [InlineData(CircuitBreakerState.Open)]
    [InlineData(CircuitBreakerState.HalfOpen)]
    [InlineData(CircuitBreakerState.ForcedOpen)]
    [InlineData(CircuitBreakerState.Disabled)]
    [InlineData(CircuitBreakerState.MetricsOnly)]
    public void CarryState_SameWindow_PutsNewBreakerInPreviousState(CircuitBreakerState state)
    {
        var options = new CircuitBreakerOptions();
        var previous = new CircuitBreaker("b", options);
        Enter(previous, state);
        var nextOptions = new CircuitBreakerOptions { FailureRateThreshold = 20 };
        var next = new CircuitBreaker("b", nextOptions);

        ResilienceReload.CarryState(previous, options, next, nextOptions).Should().BeTrue();

        next.State.Should().Be(state);
    }

    [Fact]
    public void CarryState_WindowSizeChanged_LeavesNewBreakerClosed()
    {
        var options = new CircuitBreakerOptions();
        var previous = new CircuitBreaker("b", options);
        previous.TransitionToForcedOpenState();
        var nextOptions = new CircuitBreakerOptions { SlidingWindowSize = options.SlidingWindowSize + 1 };
        var next = new CircuitBreaker("b", nextOptions);

        ResilienceReload.CarryState(previous, options, next, nextOptions).Should().BeFalse();

        next.State.Should().Be(CircuitBreakerState.Closed);
    }

    [Fact]
    public void Rebuild_TimeLimiter_KeptWhenTimeoutAndCancellationSame()
    {
        var options = new TimeLimiterOptions { TimeoutDuration = TimeSpan.FromSeconds(2) };
        TimeLimiter limiter = ResilienceReload.Rebuild(null, "t", options, Time);

        ResilienceReload.Rebuild(limiter, "t", new TimeLimiterOptions { TimeoutDuration = TimeSpan.FromSeconds(2) }, Time).Should().BeSameAs(limiter);
        ResilienceReload.Rebuild(limiter, "t", new TimeLimiterOptions { TimeoutDuration = TimeSpan.FromSeconds(3) }, Time).Should().NotBeSameAs(limiter);
    }

    [Fact]
    public void Rebuild_Bulkhead_LimitChangedInPlaceWaitChangedAnew()
    {
        var options = new BulkheadOptions { MaxConcurrentCalls = 2 };
        Bulkhead bulkhead = ResilienceReload.Rebuild(null, null, "b", options, Time);

        ResilienceReload.Rebuild(bulkhead, options, "b", new BulkheadOptions { MaxConcurrentCalls = 4 }, Time).Should().BeSameAs(bulkhead);
        bulkhead.GetMetrics().MaxAllowedConcurrentCalls.Should().Be(4);
        ResilienceReload.Rebuild(bulkhead, options, "b", new BulkheadOptions { MaxConcurrentCalls = 2, MaxWaitDuration = TimeSpan.FromSeconds(1) }, Time)
            .Should().NotBeSameAs(bulkhead);
    }

    [Fact]
    public void Rebuild_RateLimiter_LimitChangedInPlacePeriodChangedAnew()
    {
        var options = new RequestRateLimiterOptions { LimitForPeriod = 5, LimitRefreshPeriod = TimeSpan.FromSeconds(1) };
        RequestRateLimiter limiter = ResilienceReload.Rebuild(null, "r", options, Time);

        ResilienceReload.Rebuild(limiter, "r", new RequestRateLimiterOptions { LimitForPeriod = 7, LimitRefreshPeriod = TimeSpan.FromSeconds(1), TimeoutDuration = TimeSpan.Zero }, Time)
            .Should().BeSameAs(limiter);
        limiter.LimitForPeriod.Should().Be(7);
        limiter.TimeoutDuration.Should().Be(TimeSpan.Zero);
        ResilienceReload.Rebuild(limiter, "r", new RequestRateLimiterOptions { LimitRefreshPeriod = TimeSpan.FromSeconds(2) }, Time).Should().NotBeSameAs(limiter);
    }

    private static void Enter(CircuitBreaker breaker, CircuitBreakerState state)
    {
        switch (state)
        {
            case CircuitBreakerState.Open:
                breaker.TransitionToOpenState();
                break;
            case CircuitBreakerState.HalfOpen:
                breaker.TransitionToOpenState();
                breaker.TransitionToHalfOpenState();
                break;
            case CircuitBreakerState.ForcedOpen:
                breaker.TransitionToForcedOpenState();
                break;
            case CircuitBreakerState.Disabled:
                breaker.TransitionToDisabledState();
                break;
            default:
                breaker.TransitionToMetricsOnlyState();
                break;
        }
    }
}
