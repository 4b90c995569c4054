using Microsoft.Extensions.Time.Testing;
using Breaker = Resilience.CircuitBreaker;

namespace Resilience.Tests.CircuitBreaker;

public class CircuitBreakerOptionsTests
{
    private const string WaitRange = "from 1 ms to 4294967294 ms (about 49.7 days)";
    private static readonly TimeSpan MaxWait = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    [Fact]
    public void Constructor_Defaults_MatchResilience4jExceptTheIgnoredRejections()
    {
        var options = new CircuitBreakerOptions();

        options.FailureRateThreshold.Should().Be(50f);
        options.SlowCallRateThreshold.Should().Be(100f);
        options.SlowCallDurationThreshold.Should().Be(TimeSpan.FromSeconds(60));
        options.PermittedNumberOfCallsInHalfOpenState.Should().Be(10);
        options.MaxWaitDurationInHalfOpenState.Should().Be(TimeSpan.Zero);
        options.TransitionToStateAfterWaitDuration.Should().Be(CircuitBreakerState.Open);
        options.SlidingWindowType.Should().Be(SlidingWindowType.CountBased);
        options.SlidingWindowSize.Should().Be(100);
        options.MinimumNumberOfCalls.Should().Be(100);
        options.WaitDurationInOpenState.Should().Be(TimeSpan.FromSeconds(60));
        options.WaitIntervalFunctionInOpenState.Should().BeNull();
        options.AutomaticTransitionFromOpenToHalfOpenEnabled.Should().BeFalse();
        options.RecordExceptions.Should().BeEmpty();
        options.RecordExceptionPredicate.Should().BeNull();
        options.IgnoreExceptions.Should().Equal(typeof(CallNotPermittedException), typeof(BulkheadFullException), typeof(RequestNotPermittedException));
        options.IgnoreExceptionPredicate.Should().BeNull();
        options.RecordResultPredicate.Should().BeNull();
        options.InitialState.Should().Be(CircuitBreakerState.Closed);
    }

    [Fact]
    public void Constructor_NullOptions_UsesDefaults()
    {
        var time = new FakeTimeProvider();
        var breaker = new Breaker("defaults", null, time);

        breaker.State.Should().Be(CircuitBreakerState.Closed);
        breaker.Name.Should().Be("defaults");
        breaker.TimeProvider.Should().BeSameAs(time);

        // Default minimum is 100: 99 failures do not trip, the 100th does (100% >= 50%).
        breaker.RecordFailures(99);
        breaker.State.Should().Be(CircuitBreakerState.Closed);
        breaker.GetMetrics().FailureRate.Should().Be(-1f);
        breaker.RecordFailures(1);
        breaker.State.Should().Be(CircuitBreakerState.Open);

        // Default wait in open is 60 s.
        breaker.Rejection().RetryAfter.Should().Be(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public void Constructor_NullTimeProvider_UsesSystem()
    {
        var breaker = new Breaker("system");

        breaker.TimeProvider.Should().BeSameAs(TimeProvider.System);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Constructor_BlankName_Throws(string name)
    {
        Action create = () => _ = new Breaker(name, new CircuitBreakerOptions(), new FakeTimeProvider());

        create.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("name");
    }

    [Fact]
    public void Constructor_NullName_Throws()
    {
        Action create = () => _ = new Breaker(null!, new CircuitBreakerOptions(), new FakeTimeProvider());

        create.Should().Throw<ArgumentNullException>();
    }

    public static TheoryData<string, Action<CircuitBreakerOptions>, string, string> InvalidOptions => new()
    {
        { "FailureRateThreshold", o => o.FailureRateThreshold = 0f, "0", "greater than 0 and at most 100" },
        { "FailureRateThreshold", o => o.FailureRateThreshold = -1f, "-1", "greater than 0 and at most 100" },
        { "FailureRateThreshold", o => o.FailureRateThreshold = 100.5f, "100.5", "greater than 0 and at most 100" },
        { "FailureRateThreshold", o => o.FailureRateThreshold = float.NaN, "NaN", "greater than 0 and at most 100" },
        { "FailureRateThreshold", o => o.FailureRateThreshold = float.PositiveInfinity, "Infinity", "greater than 0 and at most 100" },
        { "SlowCallRateThreshold", o => o.SlowCallRateThreshold = 0f, "0", "greater than 0 and at most 100" },
        { "SlowCallRateThreshold", o => o.SlowCallRateThreshold = -0.5f, "-0.5", "greater than 0 and at most 100" },
        { "SlowCallRateThreshold", o => o.SlowCallRateThreshold = 101f, "101", "greater than 0 and at most 100" },
        { "SlowCallRateThreshold", o => o.SlowCallRateThreshold = float.NaN, "NaN", "greater than 0 and at most 100" },
        { "SlowCallDurationThreshold", o => o.SlowCallDurationThreshold = TimeSpan.Zero, "0", "greater than zero" },
        { "SlowCallDurationThreshold", o => o.SlowCallDurationThreshold = TimeSpan.FromSeconds(-1), "-1 s", "greater than zero" },
        { "PermittedNumberOfCallsInHalfOpenState", o => o.PermittedNumberOfCallsInHalfOpenState = 0, "0", "from 1 to 50,000" },
        { "PermittedNumberOfCallsInHalfOpenState", o => o.PermittedNumberOfCallsInHalfOpenState = -3, "-3", "from 1 to 50,000" },
        { "PermittedNumberOfCallsInHalfOpenState", o => o.PermittedNumberOfCallsInHalfOpenState = 50_001, "50001", "from 1 to 50,000" },
        { "MaxWaitDurationInHalfOpenState", o => o.MaxWaitDurationInHalfOpenState = TimeSpan.FromMilliseconds(-1), "-1 ms", WaitRange },
        { "MaxWaitDurationInHalfOpenState", o => o.MaxWaitDurationInHalfOpenState = TimeSpan.FromTicks(1), "100 ns", WaitRange },
        { "MaxWaitDurationInHalfOpenState", o => o.MaxWaitDurationInHalfOpenState = TimeSpan.FromTicks(9_999), "999900 ns", WaitRange },
        { "MaxWaitDurationInHalfOpenState", o => o.MaxWaitDurationInHalfOpenState = MaxWait + TimeSpan.FromMilliseconds(1), "4294967295 ms (about 49.7 days)", WaitRange },
        { "TransitionToStateAfterWaitDuration", o => o.TransitionToStateAfterWaitDuration = CircuitBreakerState.HalfOpen, "HalfOpen", "Open or Closed" },
        { "TransitionToStateAfterWaitDuration", o => o.TransitionToStateAfterWaitDuration = CircuitBreakerState.ForcedOpen, "ForcedOpen", "Open or Closed" },
        { "TransitionToStateAfterWaitDuration", o => o.TransitionToStateAfterWaitDuration = CircuitBreakerState.Disabled, "Disabled", "Open or Closed" },
        { "TransitionToStateAfterWaitDuration", o => o.TransitionToStateAfterWaitDuration = CircuitBreakerState.MetricsOnly, "MetricsOnly", "Open or Closed" },
        { "TransitionToStateAfterWaitDuration", o => o.TransitionToStateAfterWaitDuration = (CircuitBreakerState)42, "42", "Open or Closed" },
        { "SlidingWindowSize", o => o.SlidingWindowSize = 0, "0", "from 1 to 50,000 calls" },
        { "SlidingWindowSize", o => o.SlidingWindowSize = -1, "-1", "from 1 to 50,000 calls" },
        { "SlidingWindowSize", o => o.SlidingWindowSize = 50_001, "50001", "from 1 to 50,000 calls" },
        { "SlidingWindowSize", o => { o.SlidingWindowType = SlidingWindowType.TimeBased; o.SlidingWindowSize = 0; }, "0", "from 1 to 3,600 seconds" },
        { "SlidingWindowSize", o => { o.SlidingWindowType = SlidingWindowType.TimeBased; o.SlidingWindowSize = 3_601; }, "3601", "from 1 to 3,600 seconds" },
        { "SlidingWindowType", o => o.SlidingWindowType = (SlidingWindowType)7, "7", "CountBased or TimeBased" },
        { "MinimumNumberOfCalls", o => o.MinimumNumberOfCalls = 0, "0", "at least 1" },
        { "MinimumNumberOfCalls", o => o.MinimumNumberOfCalls = -10, "-10", "at least 1" },
        { "WaitDurationInOpenState", o => o.WaitDurationInOpenState = TimeSpan.Zero, "0", WaitRange },
        { "WaitDurationInOpenState", o => o.WaitDurationInOpenState = TimeSpan.FromSeconds(-5), "-5 s", WaitRange },
        { "WaitDurationInOpenState", o => o.WaitDurationInOpenState = TimeSpan.FromTicks(9_999), "999900 ns", WaitRange },
        { "WaitDurationInOpenState", o => o.WaitDurationInOpenState = MaxWait + TimeSpan.FromMilliseconds(1), "4294967295 ms (about 49.7 days)", WaitRange },
        { "WaitDurationInOpenState", o => o.WaitDurationInOpenState = TimeSpan.FromDays(50), "50 days", WaitRange },
        { "InitialState", o => o.InitialState = (CircuitBreakerState)6, "6", "a defined CircuitBreakerState" },
        { "InitialState", o => o.InitialState = (CircuitBreakerState)(-1), "-1", "a defined CircuitBreakerState" },
        { "RecordExceptions", o => o.RecordExceptions.Add(typeof(string)), "System.String", "System.Exception or a subclass" },
        { "RecordExceptions", o => o.RecordExceptions.Add(null!), "null", "System.Exception or a subclass" },
        { "IgnoreExceptions", o => o.IgnoreExceptions.Add(typeof(int)), "System.Int32", "System.Exception or a subclass" },
        { "IgnoreExceptions", o => { o.IgnoreExceptions.Add(typeof(ArgumentException)); o.IgnoreExceptions.Add(typeof(object)); }, "System.Object", "System.Exception or a subclass" },
    };

    [Fact]
    public void Validate_SeveralInvalidOptions_ReportsEachOnItsOwnLine()
    {
        var options = new CircuitBreakerOptions { FailureRateThreshold = 150, MinimumNumberOfCalls = 0, WaitDurationInOpenState = TimeSpan.Zero };

        ArgumentOutOfRangeException ex = options.Invoking(o => o.Validate()).Should().Throw<ArgumentOutOfRangeException>().Which;

        ex.ParamName.Should().Be(nameof(CircuitBreakerOptions.FailureRateThreshold));
        ex.Message.Split('\n')[..3].Should().Equal(
            "CircuitBreakerOptions.FailureRateThreshold is 150, but it must be greater than 0 and at most 100 (percent).",
            "CircuitBreakerOptions.MinimumNumberOfCalls is 0, but it must be at least 1.",
            "CircuitBreakerOptions.WaitDurationInOpenState is 0, but it must be from 1 ms to 4294967294 ms (about 49.7 days). (Parameter 'FailureRateThreshold')");
    }

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Constructor_InvalidOption_ThrowsWithNameValueAndRange(string option, Action<CircuitBreakerOptions> configure, string value, string range)
    {
        var options = new CircuitBreakerOptions();
        configure(options);

        Action create = () => _ = new Breaker("invalid", options, new FakeTimeProvider());

        ArgumentOutOfRangeException ex = create.Should().Throw<ArgumentOutOfRangeException>().Which;
        ex.ParamName.Should().Be(option);
        ex.Message.Should().Contain($"CircuitBreakerOptions.{option} is {value},");
        ex.Message.Should().Contain(range);
    }

    public static TheoryData<string, Action<CircuitBreakerOptions>> ValidBoundaryOptions => new()
    {
        { "failure 100", o => o.FailureRateThreshold = 100f },
        { "failure tiny", o => o.FailureRateThreshold = float.Epsilon },
        { "slow 100", o => o.SlowCallRateThreshold = 100f },
        { "slow tiny", o => o.SlowCallRateThreshold = 0.001f },
        { "slow duration one tick", o => o.SlowCallDurationThreshold = TimeSpan.FromTicks(1) },
        { "permits 1", o => o.PermittedNumberOfCallsInHalfOpenState = 1 },
        { "permits 50,000", o => o.PermittedNumberOfCallsInHalfOpenState = 50_000 },
        { "max wait half-open 1 ms", o => o.MaxWaitDurationInHalfOpenState = TimeSpan.FromMilliseconds(1) },
        { "max wait half-open max", o => o.MaxWaitDurationInHalfOpenState = MaxWait },
        { "after wait closed", o => o.TransitionToStateAfterWaitDuration = CircuitBreakerState.Closed },
        { "count window 1", o => o.SlidingWindowSize = 1 },
        { "count window 50,000", o => o.SlidingWindowSize = 50_000 },
        { "time window 1", o => { o.SlidingWindowType = SlidingWindowType.TimeBased; o.SlidingWindowSize = 1; } },
        { "time window 3,600", o => { o.SlidingWindowType = SlidingWindowType.TimeBased; o.SlidingWindowSize = 3_600; } },
        { "minimum 1", o => o.MinimumNumberOfCalls = 1 },
        { "minimum int.MaxValue", o => o.MinimumNumberOfCalls = int.MaxValue },
        { "wait 1 ms", o => o.WaitDurationInOpenState = TimeSpan.FromMilliseconds(1) },
        { "wait max", o => o.WaitDurationInOpenState = MaxWait },
        { "record exception base", o => o.RecordExceptions.Add(typeof(Exception)) },
        { "ignore exception subclass", o => o.IgnoreExceptions.Add(typeof(ArgumentNullException)) },
    };

    [Theory]
    [MemberData(nameof(ValidBoundaryOptions))]
    public void Constructor_BoundaryValue_IsAccepted(string description, Action<CircuitBreakerOptions> configure)
    {
        var options = new CircuitBreakerOptions();
        configure(options);

        Action create = () => _ = new Breaker(description, options, new FakeTimeProvider());

        create.Should().NotThrow();
    }

    [Theory]
    [InlineData(CircuitBreakerState.Closed)]
    [InlineData(CircuitBreakerState.Open)]
    [InlineData(CircuitBreakerState.HalfOpen)]
    [InlineData(CircuitBreakerState.Disabled)]
    [InlineData(CircuitBreakerState.ForcedOpen)]
    [InlineData(CircuitBreakerState.MetricsOnly)]
    public void Constructor_EveryDefinedInitialState_IsAccepted(CircuitBreakerState state)
    {
        var breaker = new Breaker("initial", new CircuitBreakerOptions { InitialState = state }, new FakeTimeProvider());

        breaker.State.Should().Be(state);
    }

    [Fact]
    public void Constructor_OptionsMutatedAfterwards_BreakerKeepsCopiedValues()
    {
        var time = new FakeTimeProvider();
        var options = new CircuitBreakerOptions
        {
            SlidingWindowSize = 2,
            MinimumNumberOfCalls = 2,
            FailureRateThreshold = 50f,
            WaitDurationInOpenState = TimeSpan.FromSeconds(10),
            PermittedNumberOfCallsInHalfOpenState = 1,
        };
        options.RecordExceptions.Add(typeof(InvalidOperationException));
        var breaker = new Breaker("copied", options, time);

        options.FailureRateThreshold = 100f;
        options.SlidingWindowSize = 50;
        options.MinimumNumberOfCalls = 50;
        options.WaitDurationInOpenState = TimeSpan.FromSeconds(99);
        options.PermittedNumberOfCallsInHalfOpenState = 5;
        options.RecordExceptions.Clear();
        options.RecordExceptions.Add(typeof(ArgumentException));
        options.IgnoreExceptions.Add(typeof(InvalidOperationException));
        options.InitialState = CircuitBreakerState.ForcedOpen;

        // InvalidOperationException is still recorded (not ignored, not replaced by ArgumentException).
        breaker.RecordSuccess(TimeSpan.Zero);
        breaker.RecordFailure(TimeSpan.Zero, new InvalidOperationException());

        breaker.State.Should().Be(CircuitBreakerState.Open, "window 2, minimum 2 and threshold 50 were copied");
        breaker.Rejection().RetryAfter.Should().Be(TimeSpan.FromSeconds(10));

        time.Advance(TimeSpan.FromSeconds(10));
        breaker.TryAcquirePermission(out _).Should().BeTrue();
        breaker.TryAcquirePermission(out _).Should().BeFalse("one half-open permit was copied");
    }

    [Fact]
    public void Constructor_OptionsPredicateReplacedAfterwards_BreakerKeepsOriginalPredicate()
    {
        var options = new CircuitBreakerOptions
        {
            SlidingWindowSize = 1,
            MinimumNumberOfCalls = 1,
            RecordExceptionPredicate = ex => ex is TimeoutException,
        };
        var breaker = new Breaker("copied", options, new FakeTimeProvider());

        options.RecordExceptionPredicate = _ => true;
        breaker.RecordFailure(TimeSpan.Zero, new InvalidOperationException());

        breaker.State.Should().Be(CircuitBreakerState.Closed);
        breaker.GetMetrics().NumberOfFailedCalls.Should().Be(0);
    }

    [Fact]
    public void Constructor_ValidationFailure_DoesNotDependOnPropertyOrder()
    {
        // Two invalid values: the exception names one of them, and no breaker is built.
        var options = new CircuitBreakerOptions { FailureRateThreshold = 0f, SlidingWindowSize = 0 };

        Action create = () => _ = new Breaker("two", options, new FakeTimeProvider());

        create.Should().Throw<ArgumentOutOfRangeException>()
            .Which.ParamName.Should().BeOneOf("FailureRateThreshold", "SlidingWindowSize");
    }
}
