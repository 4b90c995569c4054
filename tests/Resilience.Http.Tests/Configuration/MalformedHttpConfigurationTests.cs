using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static Resilience.Http.Tests.Configuration.ConfigurationTestHost;

namespace Resilience.Http.Tests.Configuration;

/// <summary>
/// Malformed configurations read by HTTP clients only (no <c>AddResilience</c> of the section): refused when the host
/// starts, naming the key; and the keys only HTTP clients know stay valid.
/// </summary>
public class MalformedHttpConfigurationTests
{
    public static TheoryData<string, string> Malformed => new()
    {
        { """ "CircuitBreakr": { "Instances": { "inventory": { "FailureRateThreshold": 150 } } } """, "Resilience:CircuitBreakr is not a section of the resilience configuration. Did you mean `CircuitBreaker`?" },
        { """ "CircuitBreaker": { "Instance": { "inventory": { } } } """, "Resilience:CircuitBreaker:Instance is not Configs or Instances, the levels of a primitive's section. Did you mean `Instances`?" },
        { """ "Retry": { "Config": { "default": { } } } """, "Resilience:Retry:Config is not Configs or Instances" },
        { """ "Foo": { } """, "Resilience:Foo is not a section" },
        { """ "CircuitBreaker": { "FailureRateThreshold": 150 } """, "Resilience:CircuitBreaker:FailureRateThreshold is not Configs or Instances" },
        { """ "CircuitBreaker": { "Instances": "inventory" } """, "Resilience:CircuitBreaker:Instances is 'inventory', but it must be an object of named instances" },
        { """ "CircuitBreaker": { "Instances": { "inventory": { "FailureStatusCodes": "503" } } } """, "Resilience:CircuitBreaker:Instances:inventory:FailureStatusCodes is '503', but it must be a list, such as [ 500, 503 ]." },
        { """ "Retry": { "Instances": { "inventory": { "FailureStatusCodes": [ { "code": 503 } ] } } } """, "Resilience:Retry:Instances:inventory:FailureStatusCodes:0 is an object or a list, but it must be a whole number (Int32)." },
        { """ "CircuitBreaker": { "Instances": { "inventory": { "FailureRateThreshold": { "value": 50 } } } } """, "Resilience:CircuitBreaker:Instances:inventory:FailureRateThreshold is an object or a list, but it must be a number (Single)." },
        { """ "Retry": { "Instances": { "inventory": { "MaxRetryAfterDelay": "forever" } } } """, "Resilience:Retry:Instances:inventory:MaxRetryAfterDelay is 'forever', but it must be a duration" },
        { """ "Retry": { "Instances": { "inventory": { "RetryExceptions": [ "No.Such.Exception" ] } } } """, "Resilience:Retry:Instances:inventory:RetryExceptions:0 is 'No.Such.Exception'" },
        { """ "TimeLimiter": { "Instances": { "inventory-total": { "TimeoutDuration": 0 } } } """, "Resilience:TimeLimiter:Instances:inventory-total:TimeoutDuration is 0, but it must be from 1 ms" },
        { """ "CircuitBreaker": { "Configs": { "a": { "BaseConfig": "b" }, "b": { "BaseConfig": "a" } }, "Instances": { "inventory": { "BaseConfig": "a" } } } """, "Resilience:CircuitBreaker:Instances:inventory:BaseConfig is 'a', but the chain inventory → a → b → a comes back on itself" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Start_MalformedConfigurationOfClient_RefusedNamingTheKey(string primitives, string message)
    {
        using ServiceProvider provider = Services(s => s.AddResilientHttpClient("inventory", Json($$"""{ "Resilience": { {{primitives}} } }""").GetSection("Resilience")));

        StartFailures(provider).Should().Contain(f => f.StartsWith(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Start_HttpSettingsAndListsOfClient_Accepted()
    {
        using ServiceProvider provider = Services(s => s.AddResilientHttpClient("inventory", Json("""
            { "Resilience": {
              "CircuitBreaker": { "Instances": { "inventory": { "FailureStatusCodes": [ 500, 503 ], "PerAuthority": true, "AuthorityIdleTimeout": "5m", "RecordExceptions": [ "System.Net.Http.HttpRequestException" ] } } },
              "Retry": { "Instances": { "inventory": { "FailureStatusCodes": [ ], "MaxRetryAfterDelay": "PT2S", "WaitDuration": 100 } } },
              "TimeLimiter": { "Instances": { "inventory": { "TimeoutDuration": "2s" }, "inventory-total": { "TimeoutDuration": "10s" } } } } }
            """).GetSection("Resilience")));

        provider.GetRequiredService<IStartupValidator>().Invoking(v => v.Validate()).Should().NotThrow();
        HttpResilienceOptions options = provider.GetRequiredService<IOptionsMonitor<HttpResilienceOptions>>().Get("inventory");
        options.CircuitBreaker!.FailureStatusCodes.Should().Equal(500, 503);
        options.CircuitBreaker.AuthorityIdleTimeout.Should().Be(TimeSpan.FromMinutes(5));
        options.CircuitBreaker.RecordExceptions.Should().Equal(typeof(HttpRequestException));
        options.Retry!.FailureStatusCodes.Should().BeEmpty();
        options.Retry.MaxRetryAfterDelay.Should().Be(TimeSpan.FromSeconds(2));
        options.Retry.WaitDuration.Should().Be(TimeSpan.FromMilliseconds(100));
        options.TotalTimeLimiter!.TimeoutDuration.Should().Be(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Start_SeveralProblemsSetByCodeForClient_EachNamesTheClientAndLayer()
    {
        using ServiceProvider provider = Services(s => s.AddResilientHttpClient("inventory", o =>
        {
            o.Retry!.MaxAttempts = 0;
            o.CircuitBreaker!.FailureRateThreshold = 150;
            o.CircuitBreaker.FailureStatusCodes = [99];
        }));

        StartFailures(provider).Should().Equal(
            "HTTP client 'inventory': Retry: RetryOptions.MaxAttempts is 0, but it must be at least 1.",
            "HTTP client 'inventory': CircuitBreaker: CircuitBreakerOptions.FailureRateThreshold is 150, but it must be greater than 0 and at most 100 (percent).",
            "HTTP client 'inventory': CircuitBreaker: HttpCircuitBreakerOptions.FailureStatusCodes contains 99, but every code must be between 100 and 599.");
    }
}
