using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Resilience.Attributes.Tests.EndToEnd;

/// <summary>A container configured from real JSON, with a fake clock, as the end-to-end tests use it.</summary>
internal static class TestServices
{
    public const string Json = """
        {
          "Resilience": {
            "CircuitBreaker": {
              "Configs": { "default": { "SlidingWindowSize": 10, "MinimumNumberOfCalls": 10 } }
            },
            "Retry": {
              "Instances": {
                "inventory": { "MaxAttempts": 3, "WaitDuration": "00:00:00" },
                "pricing": { "MaxAttempts": 3, "WaitDuration": "00:00:00" }
              }
            },
            "TimeLimiter": { "Instances": { "inventory": { "TimeoutDuration": "00:00:02" } } },
            "RateLimiter": { "Instances": { "reports": { "LimitForPeriod": 4, "LimitRefreshPeriod": "00:01:00", "TimeoutDuration": "00:00:00" } } }
          }
        }
        """;

    public static ServiceProvider Build(FakeTimeProvider time, Action<IServiceCollection> register)
    {
        IConfiguration configuration = new ConfigurationBuilder()
            .AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(Json)))
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddResilience(configuration.GetSection("Resilience"));
        register(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }
}
