using Resilience.Routing.Internal;

namespace Resilience.Routing.Tests.Outliers;

public sealed class OutlierDetectionOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_SucceedWithEnvoysValues()
    {
        var options = new OutlierDetectionOptions();

        new OutlierDetectionOptionsValidator().Validate(null, options).Succeeded.Should().BeTrue();
        (options.Consecutive5xx, options.EnforcingConsecutive5xx, options.ConsecutiveGatewayFailure, options.EnforcingConsecutiveGatewayFailure)
            .Should().Be((5, 100, 5, 0));
        (options.Interval, options.BaseEjectionTime, options.MaxEjectionTime, options.MaxEjectionPercent)
            .Should().Be((TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), (TimeSpan?)null, 10));
        (options.SuccessRateMinimumHosts, options.SuccessRateRequestVolume, options.SuccessRateStdevFactor, options.EnforcingSuccessRate)
            .Should().Be((5, 100, 1.9, 100));
        (options.FailurePercentageThreshold, options.EnforcingFailurePercentage, options.FailurePercentageMinimumHosts, options.FailurePercentageRequestVolume)
            .Should().Be((85, 0, 5, 50));
        (options.AlwaysEjectOneHost, options.HealthyPanicThreshold).Should().Be((false, 50));
    }

    [Fact]
    public void Validate_OutOfRange_NamesFullKeyValueAndRange()
    {
        var validator = new OutlierDetectionOptionsValidator { KeyPrefix = "Routing:OutlierDetection:" };
        var options = new OutlierDetectionOptions
        {
            Consecutive5xx = -1,
            Interval = TimeSpan.Zero,
            BaseEjectionTime = TimeSpan.FromSeconds(60),
            MaxEjectionTime = TimeSpan.FromSeconds(30),
            MaxEjectionPercent = 101,
            SuccessRateStdevFactor = -0.5,
            FailurePercentageRequestVolume = 0,
            HealthyPanicThreshold = 150,
        };

        var result = validator.Validate(null, options);

        result.Failures.Should().Equal(
            "Routing:OutlierDetection:Consecutive5xx is -1, but it must be at least 0 (0 turns the detector off).",
            "Routing:OutlierDetection:Interval is 0, but it must be above 0 and at most 1 day.",
            "Routing:OutlierDetection:MaxEjectionTime is 30 s, but it must be at least Routing:OutlierDetection:BaseEjectionTime (1 min).",
            "Routing:OutlierDetection:MaxEjectionPercent is 101, but it must be a percentage from 0 to 100.",
            "Routing:OutlierDetection:SuccessRateStdevFactor is -0.5, but it must be from 0 to 100, such as 1.9.",
            "Routing:OutlierDetection:FailurePercentageRequestVolume is 0, but it must be at least 1.",
            "Routing:OutlierDetection:HealthyPanicThreshold is 150, but it must be a percentage from 0 to 100.");
    }

    [Fact]
    public void Validate_BaseEjectionTimeAboveDefaultMax_SucceedsWithoutMax()
    {
        var options = new OutlierDetectionOptions { BaseEjectionTime = TimeSpan.FromMinutes(10) };

        OutlierDetectionOptionsValidator.GetErrors(options, OutlierDetectionOptionsValidator.CodeKeyPrefix).Should().BeEmpty();
    }
}
