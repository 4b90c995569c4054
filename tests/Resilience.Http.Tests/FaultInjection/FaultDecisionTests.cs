namespace Resilience.Http.Tests.FaultInjection;

public class FaultDecisionTests
{
    [Fact]
    public void Make_ZeroPercentages_InjectsNothingAndTakesNoDraw()
    {
        var random = new SequenceRandom();
        var options = new FaultInjectionOptions { DelayDuration = TimeSpan.FromSeconds(1) };

        FaultDecision decision = FaultDecision.Make(options, random.Next);

        decision.IsNone.Should().BeTrue();
        random.Draws.Should().Be(0);
    }

    [Fact]
    public void Make_HundredPercent_InjectsBothAndTakesNoDraw()
    {
        var random = new SequenceRandom();
        var options = new FaultInjectionOptions { DelayDuration = TimeSpan.FromSeconds(1), DelayPercentage = 100, AbortPercentage = 100 };

        FaultDecision decision = FaultDecision.Make(options, random.Next);

        decision.Delay.Should().Be(TimeSpan.FromSeconds(1));
        decision.Abort.Should().BeTrue();
        random.Draws.Should().Be(0);
    }

    [Theory]
    [InlineData(0.0, true)]
    [InlineData(0.4999, true)]
    [InlineData(0.5, false)]
    [InlineData(0.9999, false)]
    public void Make_FiftyPercentAbort_FiresOnlyForDrawsBelowHalf(double draw, bool aborted)
    {
        var options = new FaultInjectionOptions { AbortPercentage = 50 };

        FaultDecision.Make(options, new SequenceRandom(draw).Next).Abort.Should().Be(aborted);
    }

    [Fact]
    public void Make_DelayAndAbort_DrawsIndependentlyDelayFirst()
    {
        var random = new SequenceRandom(0.7, 0.2);
        var options = new FaultInjectionOptions { DelayDuration = TimeSpan.FromSeconds(1), DelayPercentage = 50, AbortPercentage = 50 };

        FaultDecision decision = FaultDecision.Make(options, random.Next);

        decision.Delay.Should().Be(TimeSpan.Zero);
        decision.Abort.Should().BeTrue();
        random.Draws.Should().Be(2);
    }

    [Fact]
    public void Make_ZeroDelayDuration_TakesNoDelayDraw()
    {
        var random = new SequenceRandom(0.9);
        var options = new FaultInjectionOptions { DelayPercentage = 50, AbortPercentage = 50 };

        FaultDecision decision = FaultDecision.Make(options, random.Next);

        decision.IsNone.Should().BeTrue();
        random.Draws.Should().Be(1);
    }

    [Fact]
    public void Make_Disabled_InjectsNothing()
    {
        var options = new FaultInjectionOptions { Enabled = false, DelayDuration = TimeSpan.FromSeconds(1), DelayPercentage = 100, AbortPercentage = 100 };

        FaultDecision.Make(options, new SequenceRandom().Next).IsNone.Should().BeTrue();
    }
}
