namespace Resilience.Tests.CircuitBreaker;

/// <summary>The answers of a transition check compare by what they ask for.</summary>
public class CircuitBreakerTransitionCheckTests
{
    private static readonly DateTimeOffset Until = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public static TheoryData<CircuitBreakerTransitionCheck, CircuitBreakerTransitionCheck, bool> Pairs => new()
    {
        { CircuitBreakerTransitionCheck.None, default, true },
        { CircuitBreakerTransitionCheck.Open(), CircuitBreakerTransitionCheck.Open(), true },
        { CircuitBreakerTransitionCheck.OpenFor(TimeSpan.FromSeconds(5)), CircuitBreakerTransitionCheck.OpenFor(TimeSpan.FromSeconds(5)), true },
        { CircuitBreakerTransitionCheck.OpenUntil(Until), CircuitBreakerTransitionCheck.OpenUntil(Until), true },
        { CircuitBreakerTransitionCheck.None, CircuitBreakerTransitionCheck.Open(), false },
        { CircuitBreakerTransitionCheck.Open(), CircuitBreakerTransitionCheck.OpenFor(TimeSpan.FromSeconds(5)), false },
        { CircuitBreakerTransitionCheck.OpenFor(TimeSpan.FromSeconds(5)), CircuitBreakerTransitionCheck.OpenFor(TimeSpan.FromSeconds(6)), false },
        { CircuitBreakerTransitionCheck.Open(), CircuitBreakerTransitionCheck.OpenUntil(Until), false },
        { CircuitBreakerTransitionCheck.OpenUntil(Until), CircuitBreakerTransitionCheck.OpenUntil(Until.AddTicks(1)), false },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Equals_TwoAnswers_EqualWhenTheyAskForTheSame(CircuitBreakerTransitionCheck left, CircuitBreakerTransitionCheck right, bool equal)
    {
        (left == right).Should().Be(equal);
        (left != right).Should().Be(!equal);
        left.Equals(right).Should().Be(equal);
        left.Equals((object)right).Should().Be(equal);
        if (equal)
        {
            left.GetHashCode().Should().Be(right.GetHashCode());
        }
    }

    [Fact]
    public void Equals_OtherType_False() =>
        CircuitBreakerTransitionCheck.Open().Equals("open").Should().BeFalse();
}
