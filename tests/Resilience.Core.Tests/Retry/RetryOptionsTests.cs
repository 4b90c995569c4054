using Microsoft.Extensions.Time.Testing;
using RetryPrimitive = Resilience.Retry;

namespace Resilience.Tests.Retry;

public class RetryOptionsTests
{
    private const string WaitRange = "4294967294 ms (about 49.7 days)";

    [Fact]
    public void Constructor_Defaults_MatchResilience4j()
    {
        var options = new RetryOptions();

        options.MaxAttempts.Should().Be(3).And.Be(RetryConstants.DefaultMaxAttempts);
        options.WaitDuration.Should().Be(TimeSpan.FromMilliseconds(500)).And.Be(RetryConstants.DefaultWaitDuration);
        options.BackoffType.Should().Be(RetryBackoffType.Constant);
        options.Multiplier.Should().Be(1.5);
        options.RandomizationFactor.Should().Be(0.5);
        options.MaxWaitDuration.Should().BeNull();
        options.IntervalFunction.Should().BeNull();
        options.RetryExceptionPredicate.Should().BeNull();
        options.RetryExceptions.Should().BeEmpty();
        options.IgnoreExceptions.Should().BeEmpty();
        options.RetryResultPredicate.Should().BeNull();
        options.FailAfterMaxAttempts.Should().BeFalse();
    }

    [Fact]
    public void Constructor_NullOptionsAndTimeProvider_UsesDefaultsAndSystemClock()
    {
        var retry = new RetryPrimitive("defaults");

        retry.Name.Should().Be("defaults");
        retry.TimeProvider.Should().BeSameAs(TimeProvider.System);
        int zero = 0;
        retry.Execute(() => zero).Should().Be(0);
        retry.GetMetrics().Should().Be(RetryTestSupport.Metrics(successWithout: 1, attempts: 1));
    }

    [Fact]
    public async Task Constructor_DefaultOptions_WaitsHalfASecondBetweenThreeAttempts()
    {
        var time = new FakeTimeProvider();
        var retry = new RetryPrimitive("defaults", null, time);
        var waits = new List<TimeSpan>();
        retry.Events.Retry += e => { lock (waits) { waits.Add(e.WaitDuration); } };
        int calls = 0;

        ValueTask<int> call = retry.ExecuteAsync(_ => Interlocked.Increment(ref calls) < 10 ? throw new InvalidOperationException() : ValueTask.FromResult(1));
        time.Advance(TimeSpan.FromMilliseconds(500));
        RetryTestSupport.WaitUntil(() => { lock (waits) { return waits.Count == 2; } }, "the second attempt fails and waits");
        time.Advance(TimeSpan.FromMilliseconds(500));

        Func<Task> completion = () => call.AsTask().WaitAsync(RetryTestSupport.SafetyTimeout);
        await completion.Should().ThrowAsync<InvalidOperationException>();
        calls.Should().Be(3);
        waits.Should().Equal(TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(500));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Constructor_BlankName_Throws(string name)
    {
        Action create = () => _ = new RetryPrimitive(name);

        create.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("name");
    }

    public static TheoryData<Action<RetryOptions>, string, string> InvalidOptions() => new()
    {
        { o => o.MaxAttempts = 0, "MaxAttempts", "RetryOptions.MaxAttempts is 0, but it must be at least 1." },
        { o => o.MaxAttempts = -5, "MaxAttempts", "RetryOptions.MaxAttempts is -5, but it must be at least 1." },
        { o => o.WaitDuration = TimeSpan.FromTicks(-1), "WaitDuration", "RetryOptions.WaitDuration is -100 ns, but it must be from 0 to " + WaitRange + "." },
        { o => o.WaitDuration = TimeSpan.FromDays(50), "WaitDuration", "RetryOptions.WaitDuration is 50 days, but it must be from 0 to " + WaitRange + "." },
        { o => o.BackoffType = (RetryBackoffType)9, "BackoffType", "RetryOptions.BackoffType is 9, but it must be Constant, Exponential, ExponentialRandom, Randomized or DecorrelatedJitter." },
        { o => o.Multiplier = 0.99, "Multiplier", "RetryOptions.Multiplier is 0.99, but it must be a finite number of at least 1." },
        { o => o.Multiplier = double.NaN, "Multiplier", "RetryOptions.Multiplier is NaN, but it must be a finite number of at least 1." },
        { o => o.Multiplier = double.PositiveInfinity, "Multiplier", "RetryOptions.Multiplier is Infinity, but it must be a finite number of at least 1." },
        { o => o.RandomizationFactor = -0.1, "RandomizationFactor", "RetryOptions.RandomizationFactor is -0.1, but it must be from 0 to 1." },
        { o => o.RandomizationFactor = 1.5, "RandomizationFactor", "RetryOptions.RandomizationFactor is 1.5, but it must be from 0 to 1." },
        { o => o.MaxWaitDuration = TimeSpan.Zero, "MaxWaitDuration", "RetryOptions.MaxWaitDuration is 0, but it must be null (no cap) or from 1 ms to " + WaitRange + "." },
        { o => o.MaxWaitDuration = TimeSpan.FromDays(60), "MaxWaitDuration", "RetryOptions.MaxWaitDuration is 60 days, but it must be null (no cap) or from 1 ms to " + WaitRange + "." },
        { o => o.RetryExceptions.Add(typeof(string)), "RetryExceptions", "RetryOptions.RetryExceptions is System.String, but it must be exception types (System.Exception or a subclass)." },
        { o => o.IgnoreExceptions.Add(null!), "IgnoreExceptions", "RetryOptions.IgnoreExceptions is null, but it must be exception types (System.Exception or a subclass)." },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Constructor_InvalidOption_ThrowsWithNameValueAndRange(Action<RetryOptions> configure, string parameter, string message)
    {
        var options = new RetryOptions();
        configure(options);

        Action create = () => _ = new RetryPrimitive("invalid", options);

        ArgumentOutOfRangeException thrown = create.Should().Throw<ArgumentOutOfRangeException>().Which;
        thrown.ParamName.Should().Be(parameter);
        thrown.Message.Should().StartWith(message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(int.MaxValue)]
    public void Constructor_BoundaryValues_AreAccepted(int maxAttempts)
    {
        var options = new RetryOptions
        {
            MaxAttempts = maxAttempts,
            WaitDuration = RetryConstants.MaximumWait,
            Multiplier = 1,
            RandomizationFactor = 1,
            MaxWaitDuration = TimeSpan.FromMilliseconds(1),
        };

        Action create = () => _ = new RetryPrimitive("edge", options);

        create.Should().NotThrow();
        options.RandomizationFactor = 0;
        options.WaitDuration = TimeSpan.Zero;
        options.MaxWaitDuration = RetryConstants.MaximumWait;
        create.Should().NotThrow();
    }

    [Fact]
    public void Constructor_OptionsChangedLater_RetryKeepsItsCopy()
    {
        var options = new RetryOptions { MaxAttempts = 2, WaitDuration = TimeSpan.Zero };
        var retry = new RetryPrimitive("copy", options, new FakeTimeProvider());

        options.MaxAttempts = 5;
        options.RetryExceptions.Add(typeof(ArgumentException));
        Func<int> failing = RetryTestSupport.FailThenReturn(10);
        Action call = () => retry.Execute(failing);

        call.Should().Throw<InvalidOperationException>().WithMessage("attempt 2");
    }

    [Fact]
    public void Clone_CopiesListsAndValues()
    {
        Func<Exception, bool> predicate = _ => true;
        var options = new RetryOptions { MaxAttempts = 7, BackoffType = RetryBackoffType.DecorrelatedJitter, RetryExceptionPredicate = predicate };
        options.RetryExceptions.Add(typeof(TimeoutException));
        options.IgnoreExceptions.Add(typeof(ArgumentException));

        RetryOptions copy = options.Clone();
        options.RetryExceptions.Clear();
        options.IgnoreExceptions.Clear();

        copy.Should().NotBeSameAs(options);
        copy.MaxAttempts.Should().Be(7);
        copy.BackoffType.Should().Be(RetryBackoffType.DecorrelatedJitter);
        copy.RetryExceptionPredicate.Should().BeSameAs(predicate);
        copy.RetryExceptions.Should().Equal(typeof(TimeoutException));
        copy.IgnoreExceptions.Should().Equal(typeof(ArgumentException));
    }
}
