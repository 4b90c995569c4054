using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Resilience.Http.Configuration;
using static Resilience.Http.Tests.Configuration.ConfigurationTestHost;

namespace Resilience.Http.Tests.Configuration;

public class HttpConfigurationTests
{
    private const string Shape = """
        {
          "Resilience": {
            "CircuitBreaker": {
              "Configs": {
                "default": { "SlidingWindowSize": 50, "FailureRateThreshold": 40, "WaitDurationInOpenState": "00:00:20" },
                "shared": { "SlidingWindowSize": 10, "MinimumNumberOfCalls": 5 }
              },
              "Instances": {
                "inventory": { "FailureRateThreshold": 25, "FailureStatusCodes": [ 500, 503 ] },
                "billing": { "BaseConfig": "shared", "PerAuthority": true }
              }
            },
            "Retry": {
              "Instances": { "inventory": { "MaxAttempts": 5, "WaitDuration": "00:00:00.200", "BackoffType": "Exponential" } }
            },
            "TimeLimiter": {
              "Configs": { "default": { "TimeoutDuration": "00:00:04" } },
              "Instances": { "inventory": { }, "inventory-total": { "TimeoutDuration": "00:00:12" } }
            }
          }
        }
        """;

    private static readonly IConfigurationSection Root = Json(Shape).GetSection("Resilience");

    [Fact]
    public void Bind_InstanceWithoutBaseConfig_StartsFromDefaultThenOverrides()
    {
        var options = new HttpCircuitBreakerOptions();

        HttpConfiguration.Bind(Root, "inventory", options);

        options.SlidingWindowSize.Should().Be(50);
        options.FailureRateThreshold.Should().Be(25);
        options.WaitDurationInOpenState.Should().Be(TimeSpan.FromSeconds(20));
        options.FailureStatusCodes.Should().Equal(500, 503);
    }

    [Fact]
    public void Bind_FailureGrpcStatusCodes_ReadAsNumbers()
    {
        IConfigurationSection root = Json("""
            { "Resilience": {
              "Retry": { "Instances": { "orders": { "FailureGrpcStatusCodes": [ 14, 8 ] } } },
              "CircuitBreaker": { "Instances": { "orders": { "FailureGrpcStatusCodes": [ 14 ] } } } } }
            """).GetSection("Resilience");
        var retry = new HttpRetryOptions();
        var breaker = new HttpCircuitBreakerOptions();

        HttpConfiguration.Bind(root, "orders", retry);
        HttpConfiguration.Bind(root, "orders", breaker);

        retry.FailureGrpcStatusCodes.Should().Equal(14, 8);
        breaker.FailureGrpcStatusCodes.Should().Equal(14);
    }

    [Fact]
    public void Bind_InstanceWithBaseConfig_StartsFromThatConfigurationOnly()
    {
        var options = new HttpCircuitBreakerOptions();

        HttpConfiguration.Bind(Root, "billing", options);

        options.SlidingWindowSize.Should().Be(10);
        options.MinimumNumberOfCalls.Should().Be(5);
        options.PerAuthority.Should().BeTrue();
        options.FailureRateThreshold.Should().Be(new HttpCircuitBreakerOptions().FailureRateThreshold, "the default configuration is not read when BaseConfig names another");
    }

    [Fact]
    public void Bind_NoDefaultConfiguration_KeepsOptionDefaults()
    {
        var options = new HttpRetryOptions();

        HttpConfiguration.Bind(Root, "inventory", options);

        options.MaxAttempts.Should().Be(5);
        options.WaitDuration.Should().Be(TimeSpan.FromMilliseconds(200));
        options.BackoffType.Should().Be(RetryBackoffType.Exponential);
        options.UseRetryAfterHeader.Should().BeTrue();
    }

    [Fact]
    public void AddResilience_Section_BindsEachLayerFromItsInstance()
    {
        using ServiceProvider provider = Services(s => s.AddHttpClient("inventory").AddResilience(Root));

        HttpResilienceOptions options = provider.GetRequiredService<IOptionsMonitor<HttpResilienceOptions>>().Get("inventory");

        options.TotalTimeLimiter!.TimeoutDuration.Should().Be(TimeSpan.FromSeconds(12));
        options.AttemptTimeLimiter!.TimeoutDuration.Should().Be(TimeSpan.FromSeconds(4));
        options.Retry!.MaxAttempts.Should().Be(5);
        options.CircuitBreaker!.FailureRateThreshold.Should().Be(25);
        options.CircuitBreaker.SlidingWindowSize.Should().Be(50);
        options.RateLimiter.Should().BeNull();
        options.Bulkhead.Should().BeNull();
        provider.GetRequiredService<IStartupValidator>().Invoking(v => v.Validate()).Should().NotThrow();
    }

    [Fact]
    public void AddCircuitBreaker_Section_BindsNamedOptions()
    {
        using ServiceProvider provider = Services(s => s.AddHttpClient("client").AddCircuitBreaker("billing", Root));

        HttpCircuitBreakerOptions options = provider.GetRequiredService<IOptionsMonitor<HttpCircuitBreakerOptions>>().Get("client/billing");

        options.SlidingWindowSize.Should().Be(10);
        options.PerAuthority.Should().BeTrue();
        provider.GetRequiredService<IStartupValidator>().Invoking(v => v.Validate()).Should().NotThrow();
    }

    [Fact]
    public void AddResilience_SectionWithRateLimiterAndBulkheadInstances_AddsThoseLayers()
    {
        IConfigurationSection root = Json("""
            { "Resilience": {
              "RateLimiter": { "Instances": { "inventory": { "LimitForPeriod": 3 } } },
              "Bulkhead": { "Instances": { "inventory": { "MaxConcurrentCalls": 4 } } } } }
            """).GetSection("Resilience");
        using ServiceProvider provider = Services(s => s.AddHttpClient("inventory").AddResilience(root));

        HttpResilienceOptions options = provider.GetRequiredService<IOptionsMonitor<HttpResilienceOptions>>().Get("inventory");

        options.RateLimiter!.LimitForPeriod.Should().Be(3);
        options.Bulkhead!.MaxConcurrentCalls.Should().Be(4);
        provider.GetRequiredService<IStartupValidator>().Invoking(v => v.Validate()).Should().NotThrow();
    }

    [Fact]
    public void AddBulkheadAndRateLimiter_Section_BindNamedOptions()
    {
        IConfigurationSection root = Json("""
            { "Resilience": {
              "RateLimiter": { "Configs": { "default": { "LimitForPeriod": 7 } }, "Instances": { "rl": { "TimeoutDuration": 0 } } },
              "Bulkhead": { "Instances": { "b": { "MaxConcurrentCalls": 4, "MaxWaitDuration": "1s" } } } } }
            """).GetSection("Resilience");
        using ServiceProvider provider = Services(s => s.AddHttpClient("client").AddBulkhead("b", root).AddRateLimiter("rl", root));

        BulkheadOptions bulkhead = provider.GetRequiredService<IOptionsMonitor<BulkheadOptions>>().Get("client/b");
        RequestRateLimiterOptions limiter = provider.GetRequiredService<IOptionsMonitor<RequestRateLimiterOptions>>().Get("client/rl");

        (bulkhead.MaxConcurrentCalls, bulkhead.MaxWaitDuration).Should().Be((4, TimeSpan.FromSeconds(1)));
        (limiter.LimitForPeriod, limiter.TimeoutDuration).Should().Be((7, TimeSpan.Zero));
        provider.GetRequiredService<IStartupValidator>().Invoking(v => v.Validate()).Should().NotThrow();
    }
}
