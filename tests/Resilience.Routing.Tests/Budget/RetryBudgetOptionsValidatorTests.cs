using Resilience.Routing.Internal;

namespace Resilience.Routing.Tests.Budget;

public sealed class RetryBudgetOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeeds()
    {
        var options = new RetryBudgetOptions();

        new RetryBudgetOptionsValidator().Validate(null, options).Succeeded.Should().BeTrue();
        options.BudgetPercent.Should().Be(20);
        options.MinRetryConcurrency.Should().Be(3);
        options.Interval.Should().Be(TimeSpan.Zero);
    }

    [Fact]
    public void Validate_OutOfRange_NamesFullKeyValueAndRange()
    {
        var validator = new RetryBudgetOptionsValidator { KeyPrefix = "Routing:RetryBudget:" };
        var options = new RetryBudgetOptions { BudgetPercent = 120, MinRetryConcurrency = -1, Interval = TimeSpan.FromHours(2) };

        var result = validator.Validate(null, options);

        result.Failed.Should().BeTrue();
        result.Failures.Should().Equal(
            "Routing:RetryBudget:BudgetPercent is 120, but it must be a percentage from 0 to 100, such as 20.",
            "Routing:RetryBudget:MinRetryConcurrency is -1, but it must be at least 0.",
            "Routing:RetryBudget:Interval is 2 h, but it must be 0 (count the requests in flight) or from 1 ms to 1 h.");
    }

    [Fact]
    public void Validate_NaNPercent_Fails()
    {
        RetryBudgetOptionsValidator.GetErrors(new RetryBudgetOptions { BudgetPercent = double.NaN }, "X.").Should().ContainSingle();
    }
}
