using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static Resilience.Http.Tests.Configuration.ConfigurationTestHost;

namespace Resilience.Http.Tests.Configuration;

public class ConfigurationOptionsValidatorTests
{
    private const string BreakerSettings =
        "AuthorityIdleTimeout, AutomaticTransitionFromOpenToHalfOpenEnabled, FailureGrpcStatusCodes, FailureRateThreshold, FailureStatusCodes, IgnoreExceptions, InitialState, "
        + "MaxWaitDurationInHalfOpenState, MinimumNumberOfCalls, PerAuthority, PermittedNumberOfCallsInHalfOpenState, RecordExceptions, SlidingWindowSize, "
        + "SlidingWindowType, SlowCallDurationThreshold, SlowCallRateThreshold, TransitionToStateAfterWaitDuration, WaitDurationInOpenState";

    private static IConfigurationSection Resilience(string json) => Json(json).GetSection("Resilience");

    private static ServiceProvider Breaker(string json) =>
        Services(s => s.AddHttpClient("client").AddCircuitBreaker("inventory", Resilience(json)));

    [Fact]
    public void Validate_OutOfRangeInInstance_NamesInstanceKeyWithoutParameterSuffix()
    {
        using ServiceProvider provider = Breaker("""{ "Resilience": { "CircuitBreaker": { "Instances": { "inventory": { "FailureRateThreshold": 150 } } } } }""");

        StartFailures(provider).Should().Equal(
            "Resilience:CircuitBreaker:Instances:inventory:FailureRateThreshold is 150, but it must be greater than 0 and at most 100 (percent).");
        provider.GetRequiredService<IOptionsMonitor<HttpCircuitBreakerOptions>>().Invoking(m => m.Get("client/inventory"))
            .Should().Throw<OptionsValidationException>().Which.OptionsName.Should().Be("client/inventory");
    }

    [Fact]
    public void Validate_OutOfRangeInheritedFromDefault_NamesBaseConfigKey()
    {
        using ServiceProvider provider = Breaker("""
            { "Resilience": { "CircuitBreaker": {
              "Configs": { "default": { "FailureRateThreshold": 150 } },
              "Instances": { "inventory": { "SlidingWindowSize": 20 } } } } }
            """);

        StartFailures(provider).Should().Equal(
            "Resilience:CircuitBreaker:Configs:default:FailureRateThreshold is 150, but it must be greater than 0 and at most 100 (percent).");
    }

    [Fact]
    public void Validate_OutOfRangeSetByCode_KeepsOptionsMessage()
    {
        using ServiceProvider provider = Services(s => s.AddHttpClient("client").AddCircuitBreaker("inventory", o => o.FailureRateThreshold = 150));

        StartFailures(provider).Should().Equal(
            "HTTP client 'client', instance 'inventory': CircuitBreakerOptions.FailureRateThreshold is 150, but it must be greater than 0 and at most 100 (percent).");
    }

    [Fact]
    public void Validate_UnknownKeyInInstance_ListsKnownSettings()
    {
        using ServiceProvider provider = Breaker("""{ "Resilience": { "CircuitBreaker": { "Instances": { "inventory": { "FailureRateTreshold": 50 } } } } }""");

        StartFailures(provider).Should().Equal(
            $"Resilience:CircuitBreaker:Instances:inventory:FailureRateTreshold is not a known setting of a circuit breaker. Did you mean `FailureRateThreshold`? Known settings are: {BreakerSettings}.");
    }

    [Fact]
    public void Validate_UnknownKeyInBaseConfig_NamesBaseConfigKey()
    {
        using ServiceProvider provider = Services(s => s.AddHttpClient("client").AddTimeLimiter("inventory", Resilience("""
            { "Resilience": { "TimeLimiter": {
              "Configs": { "slow": { "Timeout": "00:00:30" } },
              "Instances": { "inventory": { "BaseConfig": "slow", "cancelRunningTask": false } } } } }
            """)));

        StartFailures(provider).Should().Equal(
            "Resilience:TimeLimiter:Configs:slow:Timeout is not a known setting of a time limiter. Known settings are: CancelRunningTask, TimeoutDuration.");
    }

    [Fact]
    public void Validate_BaseConfigNamesNoConfiguration_Fails()
    {
        using ServiceProvider provider = Breaker("""
            { "Resilience": { "CircuitBreaker": {
              "Configs": { "default": { "SlidingWindowSize": 20 } },
              "Instances": { "inventory": { "BaseConfig": "shared" } } } } }
            """);

        StartFailures(provider).Should().Equal(
            "Resilience:CircuitBreaker:Instances:inventory:BaseConfig is 'shared', but no configuration named 'shared' exists under Resilience:CircuitBreaker:Configs.");
    }

    [Fact]
    public void Validate_ValuesThatDoNotConvert_NameKeyValueAndType()
    {
        IConfigurationSection root = Resilience("""
            { "Resilience": {
              "Retry": { "Instances": { "inventory": { "MaxAttempts": "abc", "FailureStatusCodes": [ 500, "five" ], "BackoffType": "Sideways" } } },
              "TimeLimiter": { "Instances": { "inventory": { "TimeoutDuration": "5 seconds" } } } } }
            """);
        using ServiceProvider retry = Services(s => s.AddHttpClient("client").AddRetry("inventory", root));
        using ServiceProvider limiter = Services(s => s.AddHttpClient("client").AddTimeLimiter("inventory", root));

        StartFailures(retry).Should().Equal(
            "Resilience:Retry:Instances:inventory:BackoffType is 'Sideways', but it must be one of Constant, Exponential, ExponentialRandom, Randomized, DecorrelatedJitter (RetryBackoffType, by name).",
            "Resilience:Retry:Instances:inventory:FailureStatusCodes:1 is 'five', but it must be a whole number (Int32).",
            "Resilience:Retry:Instances:inventory:MaxAttempts is 'abc', but it must be a whole number (Int32).");
        StartFailures(limiter).Should().Equal(
            "Resilience:TimeLimiter:Instances:inventory:TimeoutDuration is '5 seconds', but it must be a duration such as 500ms, 10s, 1m, 2h, 1d, PT10S or 00:00:05 (a bare number is milliseconds).");
        limiter.GetRequiredService<IOptionsMonitor<TimeLimiterOptions>>().Invoking(m => m.Get("client/inventory"))
            .Should().Throw<OptionsValidationException>().WithMessage("*'5 seconds'*");
    }

    [Fact]
    public void Validate_NullForNullableSetting_SetsNull()
    {
        using ServiceProvider provider = Services(s => s.AddHttpClient("client").AddRetry("inventory", Resilience("""
            { "Resilience": { "Retry": { "Instances": { "inventory": { "MaxWaitDuration": null } } } } }
            """)));

        HttpRetryOptions options = provider.GetRequiredService<IOptionsMonitor<HttpRetryOptions>>().Get("client/inventory");

        options.MaxAttempts.Should().Be(new HttpRetryOptions().MaxAttempts);
        options.MaxWaitDuration.Should().BeNull();
    }

    [Fact]
    public void Validate_StandardComposition_NamesTheKeyOfEachLayer()
    {
        using ServiceProvider provider = Services(s => s.AddHttpClient("inventory").AddResilience(Resilience("""
            { "Resilience": {
              "TimeLimiter": { "Instances": { "inventory-total": { "TimeoutDuration": "00:00:00" } } },
              "Retry": { "Configs": { "default": { "MaxAttemps": 4 } } },
              "Bulkhead": { "Instances": { "inventory": { "MaxConcurrentCalls": "many" } } },
              "RateLimiter": { "Configs": { "default": { "Unread": 1 } } } } }
            """)));

        StartFailures(provider).Should().Equal(
            "Resilience:Retry:Configs:default:MaxAttemps is not a known setting of a retry. Did you mean `MaxAttempts`? Known settings are: BackoffType, "
                + "FailAfterMaxAttempts, FailureGrpcStatusCodes, FailureStatusCodes, IgnoreExceptions, MaxAttempts, MaxRetryAfterDelay, MaxWaitDuration, Multiplier, RandomizationFactor, "
                + "RetryExceptions, RetryNonIdempotentMethods, UseRetryAfterHeader, WaitDuration.",
            "Resilience:Bulkhead:Instances:inventory:MaxConcurrentCalls is 'many', but it must be a whole number (Int32).",
            "Resilience:TimeLimiter:Instances:inventory-total:TimeoutDuration is 0, but it must be from 1 ms to 4294967294 ms (about 49.7 days), or Timeout.InfiniteTimeSpan (no timeout).");
    }

    [Fact]
    public void Validate_StandardCompositionTotalTimeout_NamesTotalInstanceKey()
    {
        using ServiceProvider provider = Services(s => s.AddHttpClient("inventory").AddResilience(Resilience("""
            { "Resilience": { "TimeLimiter": { "Instances": { "inventory-total": { "TimeoutDuration": "00:00:00" } } } } }
            """)));

        StartFailures(provider).Should().Equal(
            "Resilience:TimeLimiter:Instances:inventory-total:TimeoutDuration is 0, but it must be from 1 ms to 4294967294 ms (about 49.7 days), or Timeout.InfiniteTimeSpan (no timeout).");
    }

    [Fact]
    public void Validate_RegisteredTwice_ReportsEachProblemOnce()
    {
        IConfigurationSection root = Resilience("""{ "Resilience": { "CircuitBreaker": { "Instances": { "inventory": { "FailureRateThreshold": 0 } } } } }""");
        using ServiceProvider provider = Services(s =>
        {
            s.AddHttpClient("client").AddCircuitBreaker("inventory", root).AddCircuitBreaker("inventory", root);
            s.AddHttpClient("client").AddCircuitBreaker("inventory", o => o.SlidingWindowSize = 10);
        });

        StartFailures(provider).Should().Equal(
            "Resilience:CircuitBreaker:Instances:inventory:FailureRateThreshold is 0, but it must be greater than 0 and at most 100 (percent).");
    }

    [Fact]
    public void Validate_EachRegistrationValidatesItsOwnOptionsName()
    {
        IConfigurationSection root = Resilience("""{ "Resilience": { "CircuitBreaker": { "Instances": { "bad": { "MinimumNumberOfCalls": 0 } } } } }""");
        using ServiceProvider provider = Services(s => s.AddHttpClient("client").AddCircuitBreaker("good", root).AddCircuitBreaker("bad", root));
        var monitor = provider.GetRequiredService<IOptionsMonitor<HttpCircuitBreakerOptions>>();

        monitor.Get("client/good").MinimumNumberOfCalls.Should().Be(new HttpCircuitBreakerOptions().MinimumNumberOfCalls);
        monitor.Invoking(m => m.Get("client/bad")).Should().Throw<OptionsValidationException>().Which.Failures.Should().Equal(
            "Resilience:CircuitBreaker:Instances:bad:MinimumNumberOfCalls is 0, but it must be at least 1.");
    }
}
