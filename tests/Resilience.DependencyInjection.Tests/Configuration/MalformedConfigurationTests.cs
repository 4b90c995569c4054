using Microsoft.Extensions.DependencyInjection;
using static Resilience.DependencyInjection.Tests.TestConfiguration;

namespace Resilience.DependencyInjection.Tests.Configuration;

/// <summary>
/// Configurations a user may write by mistake (issue 13, and the malformed configurations of its chaos run): each is
/// refused when the host starts, with a message that starts with the offending key.
/// </summary>
public class MalformedConfigurationTests
{
    public static TheoryData<string, string, string> Malformed => new()
    {
        // Sections, levels and entries: everything above the settings.
        { Root("\"CircuitBreakr\": { \"Instances\": { \"payments\": { } } }"), "Resilience:CircuitBreakr is not a section", "Did you mean `CircuitBreaker`?" },
        { Root("\"CircuitBreakers\": { \"Instances\": { \"payments\": { } } }"), "Resilience:CircuitBreakers is not a section", "Did you mean `CircuitBreaker`?" },
        { Root("\"CircuitBreakr\": { \"Instances\": { \"payments\": { \"FailureRateThreshold\": 150 } } }"), "Resilience:CircuitBreakr is not a section", "Did you mean `CircuitBreaker`?" },
        { Root("\"Foo\": { \"Bar\": 1 }"), "Resilience:Foo is not a section", "The sections are: Bulkhead, CircuitBreaker, RateLimiter, Retry, ThreadPoolBulkhead, TimeLimiter." },
        { Root("\"Foo\": 1"), "Resilience:Foo is not a section", string.Empty },
        { Root("\"Retries\": { \"Instances\": { \"payments\": { } } }"), "Resilience:Retries is not a section", string.Empty },
        { Root("\"TimeLimitter\": { }"), "Resilience:TimeLimitter is not a section", "Did you mean `TimeLimiter`?" },
        { Root("\"Bulkheads\": { }"), "Resilience:Bulkheads is not a section", "Did you mean `Bulkhead`?" },
        { Root("\"RateLimitter\": { }"), "Resilience:RateLimitter is not a section", "Did you mean `RateLimiter`?" },
        { Root("\"ThreadPoolBulkheads\": { }"), "Resilience:ThreadPoolBulkheads is not a section", "Did you mean `ThreadPoolBulkhead`?" },
        { Root("\"CircuitBreaker\": { \"Instance\": { \"payments\": { } } }"), "Resilience:CircuitBreaker:Instance is not Configs or Instances", "Did you mean `Instances`?" },
        { Root("\"CircuitBreaker\": { \"Config\": { \"default\": { } } }"), "Resilience:CircuitBreaker:Config is not Configs or Instances", "Did you mean `Configs`?" },
        { Root("\"Retry\": { \"Instnaces\": { \"payments\": { \"MaxAttempts\": 0 } } }"), "Resilience:Retry:Instnaces is not Configs or Instances", "Did you mean `Instances`?" },
        { Root("\"CircuitBreaker\": { \"FailureRateThreshold\": 50 }"), "Resilience:CircuitBreaker:FailureRateThreshold is not Configs or Instances", "Resilience:CircuitBreaker:Instances:{name}:FailureRateThreshold" },
        { Root("\"CircuitBreaker\": { \"payments\": { \"FailureRateThreshold\": 150 } }"), "Resilience:CircuitBreaker:payments is not Configs or Instances", "Resilience:CircuitBreaker:Instances:payments" },
        { Root("\"TimeLimiter\": { \"payments\": { \"TimeoutDuration\": \"5s\" } }"), "Resilience:TimeLimiter:payments is not Configs or Instances", string.Empty },
        { Root("\"CircuitBreaker\": { \"Instances\": \"fast\" }"), "Resilience:CircuitBreaker:Instances is 'fast', but it must be an object of named instances", string.Empty },
        { Root("\"CircuitBreaker\": { \"Configs\": \"fast\" }"), "Resilience:CircuitBreaker:Configs is 'fast', but it must be an object of named configurations", string.Empty },
        { Root("\"CircuitBreaker\": { \"Instances\": [ \"fast\" ] }"), "Resilience:CircuitBreaker:Instances:0 is 'fast', but it must be an object of the settings", string.Empty },
        { Root("\"CircuitBreaker\": { \"Instances\": \"\" }"), "Resilience:CircuitBreaker:Instances is an empty string or an empty list", string.Empty },
        { Root("\"CircuitBreaker\": \"on\""), "Resilience:CircuitBreaker is 'on', but it must be an object with Configs and Instances", string.Empty },
        { Root("\"Retry\": [ ]"), "Resilience:Retry is an empty string or an empty list", string.Empty },
        { Root("\"CircuitBreaker\": { \"Instances\": { \"payments\": 5 } }"), "Resilience:CircuitBreaker:Instances:payments is '5', but it must be an object of the settings of a circuit breaker", string.Empty },
        { Root("\"CircuitBreaker\": { \"Instances\": { \"payments\": \"\" } }"), "Resilience:CircuitBreaker:Instances:payments is an empty string", string.Empty },
        { Root("\"Retry\": { \"Configs\": { \"default\": \"x\" } }"), "Resilience:Retry:Configs:default is 'x', but it must be an object of the settings of a retry", string.Empty },

        // Setting names.
        { Breaker("\"FailureRateTreshold\": 50"), Key("CircuitBreaker", "FailureRateTreshold") + " is not a known setting", "Did you mean `FailureRateThreshold`?" },
        { Breaker("\"slidingWindowSise\": 10"), Key("CircuitBreaker", "slidingWindowSise") + " is not a known setting", "Did you mean `SlidingWindowSize`?" },
        { Breaker("\"FailureStatusCodes\": [ 503 ]"), Key("CircuitBreaker", "FailureStatusCodes") + " is not a known setting", "Known settings are:" },
        { Instance("Retry", "\"MaxAttemps\": 3"), Key("Retry", "MaxAttemps") + " is not a known setting", "Did you mean `MaxAttempts`?" },
        { Instance("TimeLimiter", "\"Timeout\": \"5s\""), Key("TimeLimiter", "Timeout") + " is not a known setting", string.Empty },
        { Instance("Bulkhead", "\"MaxConcurrentCall\": 5"), Key("Bulkhead", "MaxConcurrentCall") + " is not a known setting", "Did you mean `MaxConcurrentCalls`?" },
        { Instance("RateLimiter", "\"LimitForPeriods\": 5"), Key("RateLimiter", "LimitForPeriods") + " is not a known setting", "Did you mean `LimitForPeriod`?" },
        { Instance("ThreadPoolBulkhead", "\"CoreThreadPoolSise\": 2"), Key("ThreadPoolBulkhead", "CoreThreadPoolSise") + " is not a known setting", "Did you mean `CoreThreadPoolSize`?" },
        { Root("\"CircuitBreaker\": { \"Configs\": { \"default\": { \"WaitDurationInOpen\": \"5s\" } } }"), "Resilience:CircuitBreaker:Configs:default:WaitDurationInOpen is not a known setting", string.Empty },
        { Breaker("\"RecordExceptionPredicate\": \"x\""), Key("CircuitBreaker", "RecordExceptionPredicate") + " is not a known setting", string.Empty },

        // Shapes: an object, a list, an empty string or null where a value belongs, a value where a list belongs.
        { Breaker("\"FailureRateThreshold\": { \"value\": 50 }"), Key("CircuitBreaker", "FailureRateThreshold") + " is an object or a list, but it must be a number", string.Empty },
        { Breaker("\"FailureRateThreshold\": [ 50 ]"), Key("CircuitBreaker", "FailureRateThreshold") + " is an object or a list", string.Empty },
        { Breaker("\"FailureRateThreshold\": \"\""), Key("CircuitBreaker", "FailureRateThreshold") + " is an empty string, but it must be a number", string.Empty },
        { Breaker("\"FailureRateThreshold\": null"), Key("CircuitBreaker", "FailureRateThreshold") + " is null or an empty object", string.Empty },
        { Breaker("\"SlidingWindowSize\": { }"), Key("CircuitBreaker", "SlidingWindowSize") + " is null or an empty object, but it must be a whole number", string.Empty },
        { Instance("Retry", "\"MaxAttempts\": \"\""), Key("Retry", "MaxAttempts") + " is an empty string", string.Empty },
        { Breaker("\"WaitDurationInOpenState\": \"\""), Key("CircuitBreaker", "WaitDurationInOpenState") + " is an empty string, but it must be a duration", string.Empty },
        { Instance("TimeLimiter", "\"TimeoutDuration\": { }"), Key("TimeLimiter", "TimeoutDuration") + " is null or an empty object", string.Empty },
        { Instance("TimeLimiter", "\"CancelRunningTask\": [ true ]"), Key("TimeLimiter", "CancelRunningTask") + " is an object or a list, but it must be true or false", string.Empty },
        { Breaker("\"RecordExceptions\": \"System.TimeoutException\""), Key("CircuitBreaker", "RecordExceptions") + " is 'System.TimeoutException', but it must be a list", string.Empty },
        { Breaker("\"RecordExceptions\": [ { \"Type\": \"System.TimeoutException\" } ]"), Key("CircuitBreaker", "RecordExceptions:0") + " is an object or a list", string.Empty },
        { Instance("Retry", "\"RetryExceptions\": \"System.TimeoutException\""), Key("Retry", "RetryExceptions") + " is 'System.TimeoutException', but it must be a list", string.Empty },
        { Breaker("\"BaseConfig\": { \"name\": \"slow\" }"), Key("CircuitBreaker", "BaseConfig") + " is an object or a list", string.Empty },

        // Values that do not convert.
        { Breaker("\"FailureRateThreshold\": \"fifty\""), Key("CircuitBreaker", "FailureRateThreshold") + " is 'fifty', but it must be a number (Single).", string.Empty },
        { Breaker("\"FailureRateThreshold\": \"NaN\""), Key("CircuitBreaker", "FailureRateThreshold") + " is 'NaN'", string.Empty },
        { Breaker("\"SlidingWindowSize\": 9999999999"), Key("CircuitBreaker", "SlidingWindowSize") + " is '9999999999', but it must be a whole number (Int32).", string.Empty },
        { Breaker("\"SlidingWindowSize\": 1.5"), Key("CircuitBreaker", "SlidingWindowSize") + " is '1.5'", string.Empty },
        { Breaker("\"SlidingWindowType\": \"Sideways\""), Key("CircuitBreaker", "SlidingWindowType") + " is 'Sideways', but it must be one of CountBased, TimeBased (SlidingWindowType, by name).", string.Empty },
        { Breaker("\"SlidingWindowType\": 1"), Key("CircuitBreaker", "SlidingWindowType") + " is '1', but it must be one of CountBased, TimeBased", string.Empty },
        { Breaker("\"InitialState\": \"Broken\""), Key("CircuitBreaker", "InitialState") + " is 'Broken', but it must be one of", string.Empty },
        { Instance("Retry", "\"BackoffType\": 2"), Key("Retry", "BackoffType") + " is '2', but it must be one of Constant, Exponential", string.Empty },
        { Breaker("\"AutomaticTransitionFromOpenToHalfOpenEnabled\": \"yes\""), Key("CircuitBreaker", "AutomaticTransitionFromOpenToHalfOpenEnabled") + " is 'yes', but it must be true or false", string.Empty },
        { Instance("TimeLimiter", "\"TimeoutDuration\": \"5 seconds\""), Key("TimeLimiter", "TimeoutDuration") + " is '5 seconds', but it must be a duration", string.Empty },
        { Instance("TimeLimiter", "\"TimeoutDuration\": \"1.5\""), Key("TimeLimiter", "TimeoutDuration") + " is '1.5', but it must be a duration", string.Empty },
        { Instance("TimeLimiter", "\"TimeoutDuration\": \"10x\""), Key("TimeLimiter", "TimeoutDuration") + " is '10x'", string.Empty },
        { Instance("TimeLimiter", "\"TimeoutDuration\": \"1.5s\""), Key("TimeLimiter", "TimeoutDuration") + " is '1.5s'", string.Empty },
        { Instance("TimeLimiter", "\"TimeoutDuration\": \"PT\""), Key("TimeLimiter", "TimeoutDuration") + " is 'PT'", string.Empty },
        { Instance("TimeLimiter", "\"TimeoutDuration\": \"P1Y\""), Key("TimeLimiter", "TimeoutDuration") + " is 'P1Y'", string.Empty },
        { Instance("Retry", "\"WaitDuration\": \"99999999999999999999\""), Key("Retry", "WaitDuration") + " is '99999999999999999999'", string.Empty },
        { Instance("Retry", "\"WaitDuration\": \"9223372036854775807d\""), Key("Retry", "WaitDuration") + " is '9223372036854775807d'", string.Empty },
        { Breaker("\"RecordExceptions\": [ \"No.Such.Exception\" ]"), Key("CircuitBreaker", "RecordExceptions:0") + " is 'No.Such.Exception', but it must be the full name of a loaded exception type", string.Empty },
        { Breaker("\"RecordExceptions\": [ \"System.String\" ]"), Key("CircuitBreaker", "RecordExceptions:0") + " is 'System.String', but it must be an exception type", string.Empty },
        { Breaker("\"IgnoreExceptions\": [ \"System.TimeoutException\", \"\" ]"), Key("CircuitBreaker", "IgnoreExceptions:1") + " is empty", string.Empty },
        { Instance("Retry", "\"IgnoreExceptions\": [ \"System.Int32\" ]"), Key("Retry", "IgnoreExceptions:0") + " is 'System.Int32', but it must be an exception type", string.Empty },
        { Instance("Retry", "\"RetryExceptions\": [ \"TimeoutException\" ]"), Key("Retry", "RetryExceptions:0") + " is 'TimeoutException'", string.Empty },

        // Values out of range, named at the key that holds them, durations as people write them.
        { Breaker("\"FailureRateThreshold\": 150"), Key("CircuitBreaker", "FailureRateThreshold") + " is 150, but it must be greater than 0 and at most 100 (percent).", string.Empty },
        { Instance("Retry", "\"MaxAttempts\": 0"), Key("Retry", "MaxAttempts") + " is 0, but it must be at least 1.", string.Empty },
        { Instance("TimeLimiter", "\"TimeoutDuration\": 0"), Key("TimeLimiter", "TimeoutDuration") + " is 0, but it must be from 1 ms to 4294967294 ms (about 49.7 days)", string.Empty },
        { Instance("TimeLimiter", "\"TimeoutDuration\": \"60d\""), Key("TimeLimiter", "TimeoutDuration") + " is 60 days, but it must be from 1 ms", string.Empty },
        { Instance("TimeLimiter", "\"TimeoutDuration\": \"-5s\""), Key("TimeLimiter", "TimeoutDuration") + " is -5 s", string.Empty },
        { Instance("Bulkhead", "\"MaxConcurrentCalls\": -1"), Key("Bulkhead", "MaxConcurrentCalls") + " is -1, but it must be at least 0.", string.Empty },
        { Instance("RateLimiter", "\"LimitRefreshPeriod\": \"0ms\""), Key("RateLimiter", "LimitRefreshPeriod") + " is 0, but it must be from 100 ns", string.Empty },
        { Instance("ThreadPoolBulkhead", "\"CoreThreadPoolSize\": 4, \"MaxThreadPoolSize\": 2"), Key("ThreadPoolBulkhead", "MaxThreadPoolSize") + " is 2, but it must be at least CoreThreadPoolSize (4).", string.Empty },

        // BaseConfig: missing bases, self-references, cycles, anywhere in the chain.
        { Breaker("\"BaseConfig\": \"absent\""), Key("CircuitBreaker", "BaseConfig") + " is 'absent', but no configuration named 'absent' exists under Resilience:CircuitBreaker:Configs.", string.Empty },
        { Chain("\"slow\": { }", "\"BaseConfig\": \"slwo\""), Key("CircuitBreaker", "BaseConfig") + " is 'slwo', but no configuration named 'slwo' exists", "Did you mean `slow`?" },
        { Chain("\"a\": { \"BaseConfig\": \"a\" }", "\"BaseConfig\": \"b\""), "Resilience:CircuitBreaker:Configs:a:BaseConfig is 'a', but the chain a → a names itself", string.Empty },
        { Chain("\"a\": { \"BaseConfig\": \"b\" }, \"b\": { \"BaseConfig\": \"a\" }", "\"BaseConfig\": \"a\""), Key("CircuitBreaker", "BaseConfig") + " is 'a', but the chain payments → a → b → a comes back on itself", string.Empty },
        { Chain("\"a\": { \"BaseConfig\": \"b\" }, \"b\": { \"BaseConfig\": \"a\" }", "\"SlidingWindowSize\": 5"), "Resilience:CircuitBreaker:Configs:a:BaseConfig is 'b', but the chain a → b → a comes back on itself", string.Empty },
        { Chain("\"a\": { \"BaseConfig\": \"gone\" }", "\"BaseConfig\": \"a\""), Key("CircuitBreaker", "BaseConfig") + " is 'a', but no configuration named 'gone' exists under Resilience:CircuitBreaker:Configs (chain payments → a → gone).", string.Empty },
        { Chain("\"a\": { \"BaseConfig\": \"b\" }, \"b\": { \"FailureRateThreshold\": 150 }", "\"BaseConfig\": \"a\""), "Resilience:CircuitBreaker:Configs:b:FailureRateThreshold is 150", string.Empty },
        { Chain("\"a\": { \"BaseConfig\": \"b\" }, \"b\": { \"MinimumNumberOfCals\": 5 }", "\"BaseConfig\": \"a\""), "Resilience:CircuitBreaker:Configs:b:MinimumNumberOfCals is not a known setting", "Did you mean `MinimumNumberOfCalls`?" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Start_MalformedConfiguration_RefusedNamingTheKey(string json, string message, string alsoSaid)
    {
        using ServiceProvider provider = Services(s => s.AddResilience(Section(json)));

        IEnumerable<string> failures = StartFailures(provider);

        failures.Should().Contain(f => f.StartsWith(message, StringComparison.Ordinal) && f.Contains(alsoSaid, StringComparison.Ordinal));
    }

    [Fact]
    public void Malformed_Cases_AtLeastSeventy() => Malformed.Count.Should().BeGreaterThanOrEqualTo(70);

    [Fact]
    public void Start_SeveralProblems_EachReportedOnItsOwn()
    {
        using ServiceProvider provider = Services(s => s.AddResilience(Section(Root("""
            "CircuitBreakr": { },
            "CircuitBreaker": { "Instances": { "payments": { "FailureRateThreshold": 150, "SlidingWindowSize": 0, "MinimumNumberOfCalls": 0, "WaitDurationInOpenState": "5 s", "Foo": 1 } } }
            """))));

        StartFailures(provider).Should().Equal(
            "Resilience:CircuitBreakr is not a section of the resilience configuration. Did you mean `CircuitBreaker`? The sections are: Bulkhead, CircuitBreaker, RateLimiter, Retry, ThreadPoolBulkhead, TimeLimiter.",
            Key("CircuitBreaker", "Foo") + " is not a known setting of a circuit breaker. Known settings are: " + ResilienceConfigurationValidatorTests.BreakerSettings + ".",
            Key("CircuitBreaker", "FailureRateThreshold") + " is 150, but it must be greater than 0 and at most 100 (percent).",
            Key("CircuitBreaker", "SlidingWindowSize") + " is 0, but it must be from 1 to 50,000 calls for a count-based window.",
            Key("CircuitBreaker", "MinimumNumberOfCalls") + " is 0, but it must be at least 1.");
    }

    internal static string Root(string primitives) => $$"""{ "Resilience": { {{primitives}} } }""";

    internal static string Instance(string primitive, string settings) => Root($$""" "{{primitive}}": { "Instances": { "payments": { {{settings}} } } } """);

    internal static string Breaker(string settings) => Instance("CircuitBreaker", settings);

    internal static string Chain(string configs, string instance) =>
        Root($$""" "CircuitBreaker": { "Configs": { {{configs}} }, "Instances": { "payments": { {{instance}} } } } """);

    internal static string Key(string primitive, string setting) => $"Resilience:{primitive}:Instances:payments:{setting}";
}
