using Resilience.Routing.DependencyInjection;

namespace Resilience.Routing.Tests.Hedging;

public sealed class EndpointHedgingOptionsValidatorTests
{
    [Fact]
    public void GetErrors_Defaults_None()
    {
        EndpointHedgingOptionsValidator.GetErrors(new EndpointHedgingOptions(), "H:").Should().BeEmpty();
    }

    [Fact]
    public void GetErrors_OutOfRange_NamesEveryKeyAndRange()
    {
        var options = new EndpointHedgingOptions { Delay = TimeSpan.FromSeconds(-1), DelayPercentile = 0, MaxHedgedAttempts = 11 };

        EndpointHedgingOptionsValidator.GetErrors(options, "Hedging:svc:").Should().Equal(
            "Hedging:svc:Delay is -1 s, but it must be from 0 s to 1 h.",
            "Hedging:svc:DelayPercentile is 0, but it must be above 0 and at most 100, such as 95.",
            "Hedging:svc:MaxHedgedAttempts is 11, but it must be from 1 to 10.");
    }

    [Theory]
    [InlineData(100.5)]
    [InlineData(double.NaN)]
    public void GetErrors_PercentileAboveOneHundredOrNaN_IsAnError(double percentile)
    {
        EndpointHedgingOptionsValidator.GetErrors(new EndpointHedgingOptions { DelayPercentile = percentile }, "H:").Should().ContainSingle();
    }

    [Fact]
    public void GetErrors_ZeroDelay_IsValid()
    {
        EndpointHedgingOptionsValidator.GetErrors(new EndpointHedgingOptions { Delay = TimeSpan.Zero, MaxHedgedAttempts = 10, DelayPercentile = 99.9 }, "H:").Should().BeEmpty();
    }
}
