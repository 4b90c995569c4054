namespace Resilience.Tests;

/// <summary>The exception family: one base for everything the library raises, one for its rejections.</summary>
public class ResilienceRejectedExceptionTests
{
    public static TheoryData<ResilienceRejectedException, string> Rejections => new()
    {
        { new CallNotPermittedException("cb", CircuitBreakerState.Open, TimeSpan.FromSeconds(1)), "cb" },
        { new BulkheadFullException("bh"), "bh" },
        { new RequestNotPermittedException("rl"), "rl" },
        { new TimeLimiterTimeoutException("tl", TimeSpan.FromSeconds(2)), "tl" },
    };

    [Theory]
    [MemberData(nameof(Rejections))]
    public void Rejection_EveryKind_IsOneResilienceRejectedExceptionNamingItsInstance(ResilienceRejectedException rejection, string instance)
    {
        rejection.Should().BeAssignableTo<ResilienceException>();
        rejection.InstanceName.Should().Be(instance);
        rejection.Message.Should().Contain($"'{instance}'");
    }

    [Fact]
    public void TimeLimiterTimeoutException_IsRecognisedByTypeNotAsTimeoutException()
    {
        var timeout = new TimeLimiterTimeoutException("tl", TimeSpan.FromSeconds(2));

        timeout.Should().NotBeAssignableTo<TimeoutException>();
        timeout.TimeLimiterName.Should().Be("tl");
        timeout.Timeout.Should().Be(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void OtherLibraryExceptions_AreResilienceExceptionsButNotRejections()
    {
        Exception[] others =
        [
            new IllegalStateTransitionException("cb", CircuitBreakerState.Closed, CircuitBreakerState.HalfOpen),
            new ConfigurationNotFoundException("missing"),
            new MaxRetriesExceededException("retry", 3),
            new ResultRecordedAsFailureException("cb", 500),
        ];

        others.Should().AllBeAssignableTo<ResilienceException>();
        others.Should().NotContain(e => e is ResilienceRejectedException);
        ((ResilienceException)others[0]).InstanceName.Should().Be("cb");
        ((ConfigurationNotFoundException)others[1]).ConfigurationName.Should().Be("missing");
    }
}
