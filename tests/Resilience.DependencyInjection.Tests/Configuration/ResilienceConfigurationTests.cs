using Microsoft.Extensions.Configuration;
using static Resilience.DependencyInjection.Tests.TestConfiguration;

namespace Resilience.DependencyInjection.Tests.Configuration;

public class ResilienceConfigurationTests
{
    private static readonly IConfigurationSection Root = Section("""
        {
          "Resilience": {
            "CircuitBreaker": {
              "Configs": {
                "default": { "SlidingWindowSize": 50, "FailureRateThreshold": 40, "WaitDurationInOpenState": "00:00:20" },
                "shared": { "SlidingWindowSize": 10, "MinimumNumberOfCalls": 5 }
              },
              "Instances": {
                "inventory": { "FailureRateThreshold": 25 },
                "billing": { "BaseConfig": "shared", "SlowCallRateThreshold": 80 }
              }
            },
            "Retry": { "Instances": { "inventory": { "MaxAttempts": 5, "BackoffType": "Exponential" } } },
            "TimeLimiter": { "Configs": { "default": { "TimeoutDuration": "00:00:04" } } },
            "ThreadPoolBulkhead": {
              "Configs": { "default": { "CoreThreadPoolSize": 2, "MaxThreadPoolSize": 8 } },
              "Instances": { "reports": { "QueueCapacity": 20, "KeepAliveDuration": "00:00:30" } }
            }
          }
        }
        """);

    [Fact]
    public void Bind_InstanceWithoutBaseConfig_StartsFromDefaultThenOverrides()
    {
        var options = new CircuitBreakerOptions();

        Bind(ResilienceConfiguration.CircuitBreaker, "inventory", options);

        options.SlidingWindowSize.Should().Be(50);
        options.FailureRateThreshold.Should().Be(25);
        options.WaitDurationInOpenState.Should().Be(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public void Bind_InstanceWithBaseConfig_StartsFromThatConfigurationOnly()
    {
        var options = new CircuitBreakerOptions();

        Bind(ResilienceConfiguration.CircuitBreaker, "billing", options);

        options.SlidingWindowSize.Should().Be(10);
        options.MinimumNumberOfCalls.Should().Be(5);
        options.SlowCallRateThreshold.Should().Be(80);
        options.FailureRateThreshold.Should().Be(new CircuitBreakerOptions().FailureRateThreshold, "the default configuration is not read when BaseConfig names another");
    }

    [Fact]
    public void Bind_InstanceMissingAndDefaultPresent_GetsDefault()
    {
        var options = new TimeLimiterOptions();

        ResilienceConfiguration.Bind(Root, ResilienceConfiguration.TimeLimiter, "unknown", section => section.Bind(options));

        options.TimeoutDuration.Should().Be(TimeSpan.FromSeconds(4));
    }

    [Fact]
    public void Bind_NoDefaultConfiguration_KeepsOptionDefaults()
    {
        var options = new RetryOptions();

        ResilienceConfiguration.Bind(Root, ResilienceConfiguration.Retry, "inventory", section => section.Bind(options));

        options.MaxAttempts.Should().Be(5);
        options.BackoffType.Should().Be(RetryBackoffType.Exponential);
        options.WaitDuration.Should().Be(new RetryOptions().WaitDuration);
    }

    [Fact]
    public void Bind_ThreadPoolBulkhead_InheritsDefault()
    {
        var options = new ThreadPoolBulkheadOptions();

        ResilienceConfiguration.Bind(Root, ResilienceConfiguration.ThreadPoolBulkhead, "reports", section => section.Bind(options));

        options.CoreThreadPoolSize.Should().Be(2);
        options.MaxThreadPoolSize.Should().Be(8);
        options.QueueCapacity.Should().Be(20);
        options.KeepAliveDuration.Should().Be(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void GetBaseSection_EachCase_NamesTheSectionReadFirst()
    {
        ResilienceConfiguration.GetBaseSection(Root, ResilienceConfiguration.CircuitBreaker, "billing")!.Path.Should().Be("Resilience:CircuitBreaker:Configs:shared");
        ResilienceConfiguration.GetBaseSection(Root, ResilienceConfiguration.CircuitBreaker, "inventory")!.Path.Should().Be("Resilience:CircuitBreaker:Configs:default");
        ResilienceConfiguration.GetBaseSection(Root, ResilienceConfiguration.Retry, "inventory").Should().BeNull();
        ResilienceConfiguration.GetInstanceSection(Root, ResilienceConfiguration.Retry, "inventory").Path.Should().Be("Resilience:Retry:Instances:inventory");
    }

    [Fact]
    public void GetValidationMessage_ArgumentException_DropsParameterSuffix()
    {
        var exception = new ArgumentOutOfRangeException("FailureRateThreshold", "CircuitBreakerOptions.FailureRateThreshold is 150, but it must be at most 100.");

        ResilienceConfiguration.GetValidationMessage(exception).Should().Be("CircuitBreakerOptions.FailureRateThreshold is 150, but it must be at most 100.");
    }

    private static void Bind(string primitive, string instance, CircuitBreakerOptions options) =>
        ResilienceConfiguration.Bind(Root, primitive, instance, section => section.Bind(options));
}
