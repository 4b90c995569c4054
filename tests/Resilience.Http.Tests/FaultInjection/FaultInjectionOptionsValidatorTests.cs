namespace Resilience.Http.Tests.FaultInjection;

public class FaultInjectionOptionsValidatorTests
{
    [Fact]
    public void Options_Defaults_AreDocumentedValues()
    {
        var options = new FaultInjectionOptions();

        options.DelayDuration.Should().Be(TimeSpan.Zero);
        options.DelayPercentage.Should().Be(0);
        options.AbortPercentage.Should().Be(0);
        options.AbortStatusCode.Should().Be(503);
        options.AbortKind.Should().Be(FaultAbortKind.StatusCode);
        options.Enabled.Should().BeTrue();
    }

    [Fact]
    public void Validate_Boundaries_Accepted()
    {
        var low = new FaultInjectionOptions { DelayPercentage = 0, AbortPercentage = 0, AbortStatusCode = 200 };
        var high = new FaultInjectionOptions
        {
            DelayDuration = FaultInjectionConstants.MaximumDelay,
            DelayPercentage = 100,
            AbortPercentage = 100,
            AbortStatusCode = 599,
            AbortKind = FaultAbortKind.DropConnection,
        };

        FaultInjectionOptionsValidator.GetErrors(low, "x.").Should().BeEmpty();
        FaultInjectionOptionsValidator.GetErrors(high, "x.").Should().BeEmpty();
    }

    [Theory]
    [InlineData("DelayPercentage=150", "FaultInjectionOptions.DelayPercentage is 150, but it must be between 0 and 100.")]
    [InlineData("DelayPercentage=-0.5", "FaultInjectionOptions.DelayPercentage is -0.5, but it must be between 0 and 100.")]
    [InlineData("AbortPercentage=NaN", "FaultInjectionOptions.AbortPercentage is NaN, but it must be between 0 and 100.")]
    [InlineData("AbortPercentage=100.5", "FaultInjectionOptions.AbortPercentage is 100.5, but it must be between 0 and 100.")]
    [InlineData("AbortStatusCode=199", "FaultInjectionOptions.AbortStatusCode is 199, but it must be between 200 and 599.")]
    [InlineData("AbortStatusCode=600", "FaultInjectionOptions.AbortStatusCode is 600, but it must be between 200 and 599.")]
    [InlineData("AbortKind=7", "FaultInjectionOptions.AbortKind is 7, but it must be StatusCode or DropConnection.")]
    [InlineData("DelayDuration=-1s", "FaultInjectionOptions.DelayDuration is -1 s, but it must be from 0 to 4294967294 ms (about 49.7 days).")]
    public void GetError_InvalidOption_NamesOptionValueAndRange(string invalid, string message)
    {
        FaultInjectionOptions options = invalid switch
        {
            "DelayPercentage=150" => new() { DelayPercentage = 150 },
            "DelayPercentage=-0.5" => new() { DelayPercentage = -0.5 },
            "AbortPercentage=NaN" => new() { AbortPercentage = double.NaN },
            "AbortPercentage=100.5" => new() { AbortPercentage = 100.5 },
            "AbortStatusCode=199" => new() { AbortStatusCode = 199 },
            "AbortStatusCode=600" => new() { AbortStatusCode = 600 },
            "AbortKind=7" => new() { AbortKind = (FaultAbortKind)7 },
            "DelayDuration=-1s" => new() { DelayDuration = TimeSpan.FromSeconds(-1) },
            _ => throw new ArgumentOutOfRangeException(nameof(invalid)),
        };

        FaultInjectionOptionsValidator.GetErrors(options, FaultInjectionOptionsValidator.CodeKeyPrefix).Should().Equal(message);
    }

    [Fact]
    public void GetError_ConfigurationPrefix_NamesConfigurationKey()
    {
        var options = new FaultInjectionOptions { AbortStatusCode = 700 };

        FaultInjectionOptionsValidator.GetErrors(options, "Faults:Warehouse:")
            .Should().Equal("Faults:Warehouse:AbortStatusCode is 700, but it must be between 200 and 599.");
    }

    [Fact]
    public void GetErrors_SeveralInvalidOptions_ReportsEachOnce()
    {
        var options = new FaultInjectionOptions { DelayPercentage = 150, AbortStatusCode = 700, DelayDuration = TimeSpan.FromMilliseconds(-5) };

        FaultInjectionOptionsValidator.GetErrors(options, "Faults:").Should().Equal(
            "Faults:DelayDuration is -5 ms, but it must be from 0 to 4294967294 ms (about 49.7 days).",
            "Faults:DelayPercentage is 150, but it must be between 0 and 100.",
            "Faults:AbortStatusCode is 700, but it must be between 200 and 599.");
    }
}
