using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using static Resilience.DependencyInjection.Tests.TestConfiguration;

namespace Resilience.DependencyInjection.Tests.Configuration;

/// <summary>The validator as another front-end uses it: its own options type, its own layers, through the public API only.</summary>
public class ResilienceConfigurationValidatorTests
{
    internal const string BreakerSettings =
        "AutomaticTransitionFromOpenToHalfOpenEnabled, FailureRateThreshold, IgnoreExceptions, InitialState, MaxWaitDurationInHalfOpenState, MinimumNumberOfCalls, "
        + "PermittedNumberOfCallsInHalfOpenState, RecordExceptions, SlidingWindowSize, SlidingWindowType, SlowCallDurationThreshold, SlowCallRateThreshold, "
        + "TransitionToStateAfterWaitDuration, WaitDurationInOpenState";

    private static readonly ResilienceSettings Settings = ResilienceSettings.Create<CircuitBreakerOptions>("a circuit breaker");

    [Fact]
    public void Validate_OutOfRangeInInstance_NamesInstanceKey()
    {
        var (validator, options) = Bound("""{ "Resilience": { "CircuitBreaker": { "Instances": { "payments": { "FailureRateThreshold": 150 } } } } }""");

        validator.Validate("payments", options).Failures.Should().Equal(
            "Resilience:CircuitBreaker:Instances:payments:FailureRateThreshold is 150, but it must be greater than 0 and at most 100 (percent).");
    }

    [Fact]
    public void Validate_OutOfRangeInheritedFromBase_NamesBaseKey()
    {
        var (validator, options) = Bound("""
            { "Resilience": { "CircuitBreaker": {
              "Configs": { "slow": { "SlowCallRateThreshold": 0 } },
              "Instances": { "payments": { "BaseConfig": "slow" } } } } }
            """);

        validator.Validate("payments", options).Failures.Should().Equal(
            "Resilience:CircuitBreaker:Configs:slow:SlowCallRateThreshold is 0, but it must be greater than 0 and at most 100 (percent).");
    }

    [Fact]
    public void Validate_UnknownKeyAndMissingBase_ReportsEach()
    {
        var (validator, options) = Bound("""
            { "Resilience": { "CircuitBreaker": { "Instances": { "payments": { "BaseConfig": "absent", "FailureRateTreshold": 50 } } } } }
            """);

        validator.Validate("payments", options).Failures.Should().Equal(
            $"Resilience:CircuitBreaker:Instances:payments:FailureRateTreshold is not a known setting of a circuit breaker. Did you mean `FailureRateThreshold`? Known settings are: {BreakerSettings}.",
            "Resilience:CircuitBreaker:Instances:payments:BaseConfig is 'absent', but no configuration named 'absent' exists under Resilience:CircuitBreaker:Configs.");
    }

    [Fact]
    public void Validate_ValueThatDoesNotConvert_NamesKeyValueAndTypeAndStillChecksRanges()
    {
        var (validator, options) = Bound("""
            { "Resilience": { "CircuitBreaker": { "Instances": { "payments": { "SlidingWindowType": "Sideways", "FailureRateThreshold": 150 } } } } }
            """);

        validator.Validate("payments", options).Failures.Should().Equal(
            "Resilience:CircuitBreaker:Instances:payments:SlidingWindowType is 'Sideways', but it must be one of CountBased, TimeBased (SlidingWindowType, by name).",
            "Resilience:CircuitBreaker:Instances:payments:FailureRateThreshold is 150, but it must be greater than 0 and at most 100 (percent).");
    }

    [Fact]
    public void Bind_ValueThatDoesNotConvert_DoesNotThrowAndValidateReportsIt()
    {
        IConfigurationSection root = Section("""{ "Resilience": { "CircuitBreaker": { "Instances": { "payments": { "SlidingWindowSize": "9999999999999" } } } } }""");
        ResilienceConfigurationValidator<CircuitBreakerOptions> validator = Validator(root);
        var options = new CircuitBreakerOptions();

        validator.Invoking(v => v.Bind("payments", () => Bind(root, options))).Should().NotThrow();

        validator.Validate("payments", options).Failures.Should().Equal(
            "Resilience:CircuitBreaker:Instances:payments:SlidingWindowSize is '9999999999999', but it must be a whole number (Int32).");
    }

    [Fact]
    public void Validate_NameItDoesNotValidate_Skips()
    {
        var (validator, options) = Bound("""{ "Resilience": { "CircuitBreaker": { "Instances": { "payments": { "FailureRateThreshold": 150 } } } } }""");

        validator.Validate("other", options).Should().BeSameAs(ValidateOptionsResult.Skip);
    }

    [Fact]
    public void Validate_Valid_Succeeds()
    {
        var (validator, options) = Bound("""{ "Resilience": { "CircuitBreaker": { "Instances": { "payments": { "FailureRateThreshold": 25 } } } } }""");

        validator.Validate("payments", options).Succeeded.Should().BeTrue();
    }

    private static (ResilienceConfigurationValidator<CircuitBreakerOptions> Validator, CircuitBreakerOptions Options) Bound(string json)
    {
        IConfigurationSection root = Section(json);
        ResilienceConfigurationValidator<CircuitBreakerOptions> validator = Validator(root);
        var options = new CircuitBreakerOptions();
        validator.Bind("payments", () => Bind(root, options));
        return (validator, options);
    }

    private static ResilienceConfigurationValidator<CircuitBreakerOptions> Validator(IConfiguration root) =>
        new(root, name => name == "payments"
            ? [new ResilienceConfigurationLayer<CircuitBreakerOptions>(ResilienceConfiguration.CircuitBreaker, "payments", Settings, static o => _ = new CircuitBreakerRegistry(o))]
            : null);

    private static void Bind(IConfiguration root, CircuitBreakerOptions options) =>
        ResilienceConfiguration.Bind(root, ResilienceConfiguration.CircuitBreaker, "payments", section => section.Bind(options));
}
