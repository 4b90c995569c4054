using Microsoft.Extensions.Time.Testing;

namespace Resilience.Tests.CircuitBreaker;

public class CircuitBreakerSmokeTests
{
    [Fact]
    public void Execute_FailuresReachThreshold_OpensAndRejects()
    {
        var time = new FakeTimeProvider();
        var breaker = new Resilience.CircuitBreaker("smoke", new CircuitBreakerOptions { SlidingWindowSize = 4, MinimumNumberOfCalls = 4 }, time);

        breaker.Execute(() => 1).Should().Be(1);
        breaker.Execute(() => 2);
        for (int i = 0; i < 2; i++)
        {
            Action failing = () => breaker.Execute(() => throw new InvalidOperationException("boom"));
            failing.Should().Throw<InvalidOperationException>();
        }

        breaker.State.Should().Be(CircuitBreakerState.Open);
        breaker.GetMetrics().FailureRate.Should().Be(50f);
        breaker.TryAcquirePermission(out _).Should().BeFalse();
        Action rejected = () => breaker.Execute(() => 3);
        rejected.Should().Throw<CallNotPermittedException>().Which.RetryAfter.Should().Be(TimeSpan.FromSeconds(60));
    }
}
