using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static Resilience.DependencyInjection.Tests.Configuration.MalformedConfigurationTests;
using static Resilience.DependencyInjection.Tests.TestConfiguration;

namespace Resilience.DependencyInjection.Tests.Configuration;

/// <summary>Edge cases of the configuration that are right and must start, with the values they bind.</summary>
public class ValidConfigurationTests
{
    public static TheoryData<string> Valid => new()
    {
        Root(string.Empty),
        """{ "Resilience": null }""",
        Root("\"CircuitBreaker\": { }"),
        Root("\"CircuitBreaker\": { \"Configs\": null, \"Instances\": { } }"),
        Root("\"circuitbreaker\": { \"instances\": { \"payments\": { \"failureratethreshold\": 25, \"slidingwindowtype\": \"timebased\" } } }"),
        Breaker(string.Empty),
        Root("\"CircuitBreaker\": { \"Instances\": { \"payments\": null } }"),
        Breaker("\"SlidingWindowType\": \" CountBased \", \"InitialState\": \"metricsonly\""),
        Breaker("\"RecordExceptions\": [ \"System.TimeoutException\", \"System.Net.Http.HttpRequestException, System.Net.Http\" ], \"IgnoreExceptions\": [ ]"),
        Breaker("\"RecordExceptions\": null"),
        Instance("TimeLimiter", "\"TimeoutDuration\": \"-1\""),
        Instance("TimeLimiter", "\"TimeoutDuration\": \"P1DT2H\""),
        Instance("Retry", "\"WaitDuration\": \"PT0.5S\", \"MaxWaitDuration\": null, \"RetryExceptions\": [ \"System.IO.IOException\" ]"),
        Chain("\"default\": { \"SlidingWindowSize\": 20 }, \"slow\": { \"BaseConfig\": \"default\" }", "\"BaseConfig\": \"slow\""),
        Root("\"Retry\": { \"Configs\": { \"default\": { \"MaxAttempts\": 5 } }, \"Instances\": { \"default\": { \"BaseConfig\": \"default\" } } }"),
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void Start_ValidEdgeCase_Starts(string json)
    {
        using ServiceProvider provider = Services(s => s.AddResilience(Section(json)));

        StartSucceeds(provider);
    }

    [Theory]
    [InlineData("500ms", 500 * TimeSpan.TicksPerMillisecond)]
    [InlineData("500 ms", 500 * TimeSpan.TicksPerMillisecond)]
    [InlineData("5000", 5 * TimeSpan.TicksPerSecond)]
    [InlineData("10s", 10 * TimeSpan.TicksPerSecond)]
    [InlineData("1m", TimeSpan.TicksPerMinute)]
    [InlineData("2h", 2 * TimeSpan.TicksPerHour)]
    [InlineData("1d", TimeSpan.TicksPerDay)]
    [InlineData("250us", 250 * TimeSpan.TicksPerMicrosecond)]
    [InlineData("1000000ns", TimeSpan.TicksPerMillisecond)]
    [InlineData("PT10S", 10 * TimeSpan.TicksPerSecond)]
    [InlineData("pt1.5s", 15 * TimeSpan.TicksPerSecond / 10)]
    [InlineData("P1DT2H", TimeSpan.TicksPerDay + (2 * TimeSpan.TicksPerHour))]
    [InlineData("PT1M30S", 90 * TimeSpan.TicksPerSecond)]
    [InlineData("00:00:05", 5 * TimeSpan.TicksPerSecond)]
    [InlineData("1.02:00:00", TimeSpan.TicksPerDay + (2 * TimeSpan.TicksPerHour))]
    public void Bind_Duration_ReadAsResilience4jReadsIt(string written, long ticks)
    {
        RetryOptions options = BindRetry($"\"WaitDuration\": \"{written}\"");

        options.WaitDuration.Should().Be(TimeSpan.FromTicks(ticks));
    }

    [Fact]
    public void Bind_BareNumberDuration_IsMillisecondsNotDays()
    {
        using ServiceProvider provider = Services(s => s.AddResilience(Section(Instance("TimeLimiter", "\"TimeoutDuration\": 5"))));

        Options(provider).TimeLimiter.Instances["payments"].TimeoutDuration.Should().Be(TimeSpan.FromMilliseconds(5));
    }

    [Fact]
    public void Bind_ExceptionTypeNames_ReplaceTheList()
    {
        using ServiceProvider provider = Services(s => s.AddResilience(Section(Breaker(
            "\"RecordExceptions\": [ \"System.TimeoutException\", \"System.IO.IOException, System.Private.CoreLib\" ], \"IgnoreExceptions\": [ \"System.OperationCanceledException\" ]"))));

        CircuitBreakerOptions options = Options(provider).CircuitBreaker.Instances["payments"];

        options.RecordExceptions.Should().Equal(typeof(TimeoutException), typeof(IOException));
        options.IgnoreExceptions.Should().Equal(typeof(OperationCanceledException));
    }

    [Fact]
    public void Bind_ChainOfBases_AppliesEveryLevelFarthestFirst()
    {
        using ServiceProvider provider = Services(s => s.AddResilience(Section(Chain(
            """
            "base": { "SlidingWindowSize": 40, "MinimumNumberOfCalls": 20, "FailureRateThreshold": 10 },
            "middle": { "BaseConfig": "base", "MinimumNumberOfCalls": 8, "FailureRateThreshold": 20 }
            """,
            "\"BaseConfig\": \"middle\", \"FailureRateThreshold\": 30"))));

        CircuitBreakerOptions options = Options(provider).CircuitBreaker.Instances["payments"];

        options.SlidingWindowSize.Should().Be(40, "the second level of the chain applies");
        options.MinimumNumberOfCalls.Should().Be(8);
        options.FailureRateThreshold.Should().Be(30);
    }

    [Fact]
    public void Bind_ConfigurationWithBase_FollowsItsOwnBase()
    {
        using ServiceProvider provider = Services(s => s.AddResilience(Section(Root("""
            "Retry": { "Configs": { "base": { "MaxAttempts": 7 }, "slow": { "BaseConfig": "base", "WaitDuration": "2s" } } }
            """))));

        RetryOptions slow = Options(provider).Retry.Configs["slow"];

        slow.MaxAttempts.Should().Be(7);
        slow.WaitDuration.Should().Be(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void Bind_EnumNameInAnyCase_Binds()
    {
        using ServiceProvider provider = Services(s => s.AddResilience(Section(Breaker("\"SlidingWindowType\": \"timebased\""))));

        Options(provider).CircuitBreaker.Instances["payments"].SlidingWindowType.Should().Be(SlidingWindowType.TimeBased);
    }

    private static ResilienceOptions Options(ServiceProvider provider)
    {
        StartSucceeds(provider);
        return provider.GetRequiredService<IOptions<ResilienceOptions>>().Value;
    }

    private static RetryOptions BindRetry(string settings)
    {
        using ServiceProvider provider = Services(s => s.AddResilience(Section(Instance("Retry", settings))));
        return Options(provider).Retry.Instances["payments"];
    }
}
