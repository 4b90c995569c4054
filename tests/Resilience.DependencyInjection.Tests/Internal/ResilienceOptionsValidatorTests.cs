using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static Resilience.DependencyInjection.Tests.TestConfiguration;

namespace Resilience.DependencyInjection.Tests.Internal;

/// <summary>The start-up validation of <c>AddResilience</c>: the messages of the HTTP clients, for every primitive.</summary>
public class ResilienceOptionsValidatorTests
{
    [Fact]
    public void Validate_OutOfRangeInEachPrimitive_NamesEachKeyValueAndRange()
    {
        using ServiceProvider provider = Services(s => s.AddResilience(Section("""
            { "Resilience": {
              "CircuitBreaker": { "Instances": { "payments": { "FailureRateThreshold": 150 } } },
              "Retry": { "Instances": { "payments": { "MaxAttempts": 0 } } },
              "TimeLimiter": { "Instances": { "payments": { "TimeoutDuration": "00:00:00" } } },
              "Bulkhead": { "Instances": { "payments": { "MaxConcurrentCalls": -1 } } },
              "ThreadPoolBulkhead": { "Instances": { "reports": { "QueueCapacity": -1 } } },
              "RateLimiter": { "Instances": { "payments": { "LimitForPeriod": 0 } } } } }
            """)));

        StartFailures(provider).Should().Equal(
            "Resilience:CircuitBreaker:Instances:payments:FailureRateThreshold is 150, but it must be greater than 0 and at most 100 (percent).",
            "Resilience:Retry:Instances:payments:MaxAttempts is 0, but it must be at least 1.",
            "Resilience:TimeLimiter:Instances:payments:TimeoutDuration is 0, but it must be from 1 ms to 4294967294 ms (about 49.7 days), or Timeout.InfiniteTimeSpan (no timeout).",
            "Resilience:Bulkhead:Instances:payments:MaxConcurrentCalls is -1, but it must be at least 0.",
            "Resilience:ThreadPoolBulkhead:Instances:reports:QueueCapacity is -1, but it must be at least 0.",
            "Resilience:RateLimiter:Instances:payments:LimitForPeriod is 0, but it must be at least 1.");
    }

    [Fact]
    public void Validate_OutOfRangeInDefaultInheritedByInstances_ReportedOnceAtDefaultKey()
    {
        using ServiceProvider provider = Services(s => s.AddResilience(Section("""
            { "Resilience": { "CircuitBreaker": {
              "Configs": { "default": { "FailureRateThreshold": 150 } },
              "Instances": { "payments": { "SlidingWindowSize": 20 }, "ledger": { } } } } }
            """)));

        StartFailures(provider).Should().Equal(
            "Resilience:CircuitBreaker:Configs:default:FailureRateThreshold is 150, but it must be greater than 0 and at most 100 (percent).");
    }

    [Fact]
    public void Validate_UnknownKeyMissingBaseAndUnconvertibleValue_ReportsEach()
    {
        using ServiceProvider provider = Services(s => s.AddResilience(Section("""
            { "Resilience": {
              "TimeLimiter": {
                "Configs": { "slow": { "Timeout": "00:00:30" } },
                "Instances": { "payments": { "BaseConfig": "absent" }, "ledger": { "TimeoutDuration": "5 seconds" } } } } }
            """)));

        StartFailures(provider).Should().Equal(
            "Resilience:TimeLimiter:Configs:slow:Timeout is not a known setting of a time limiter. Known settings are: CancelRunningTask, TimeoutDuration.",
            "Resilience:TimeLimiter:Instances:ledger:TimeoutDuration is '5 seconds', but it must be a duration such as 500ms, 10s, 1m, 2h, 1d, PT10S or 00:00:05 (a bare number is milliseconds).",
            "Resilience:TimeLimiter:Instances:payments:BaseConfig is 'absent', but no configuration named 'absent' exists under Resilience:TimeLimiter:Configs.");
    }

    [Fact]
    public void Validate_OutOfRangeSetByCode_NamesTheKeyItWouldHave()
    {
        using ServiceProvider provider = Services(s => s.AddResilience(o => o.CircuitBreaker.Instances["payments"] = new CircuitBreakerOptions { FailureRateThreshold = 150 }));

        StartFailures(provider).Should().Equal(
            "CircuitBreaker:Instances:payments:FailureRateThreshold is 150, but it must be greater than 0 and at most 100 (percent).");
    }

    [Fact]
    public void Validate_SeveralProblemsSetByCode_ReportsEachAtItsKey()
    {
        using ServiceProvider provider = Services(s => s.AddResilience(o =>
        {
            o.CircuitBreaker.Instances["payments"] = new CircuitBreakerOptions { FailureRateThreshold = 150, MinimumNumberOfCalls = 0 };
            o.Retry.Configs["slow"] = new RetryOptions { MaxAttempts = 0, WaitDuration = TimeSpan.FromDays(60) };
        }));

        StartFailures(provider).Should().Equal(
            "CircuitBreaker:Instances:payments:FailureRateThreshold is 150, but it must be greater than 0 and at most 100 (percent).",
            "CircuitBreaker:Instances:payments:MinimumNumberOfCalls is 0, but it must be at least 1.",
            "Retry:Configs:slow:MaxAttempts is 0, but it must be at least 1.",
            "Retry:Configs:slow:WaitDuration is 60 days, but it must be from 0 to 4294967294 ms (about 49.7 days).");
    }

    [Fact]
    public void Validate_Invalid_RegistriesCannotBeBuilt()
    {
        using ServiceProvider provider = Services(s => s.AddResilience(Section("""
            { "Resilience": { "Retry": { "Configs": { "default": { "MaxAttempts": 0 } } } } }
            """)));

        provider.Invoking(p => p.GetRequiredService<RetryRegistry>()).Should().Throw<OptionsValidationException>()
            .Which.Failures.Should().Equal("Resilience:Retry:Configs:default:MaxAttempts is 0, but it must be at least 1.");
    }
}
