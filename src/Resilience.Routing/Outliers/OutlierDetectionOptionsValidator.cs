using System.Globalization;
using Microsoft.Extensions.Options;

namespace Resilience.Routing.Internal;

/// <summary>
/// Validates <see cref="OutlierDetectionOptions"/> at start: every problem at once, each message naming the full
/// configuration key (such as <c>Routing:OutlierDetection:Interval</c>), the value and the valid range.
/// </summary>
internal sealed class OutlierDetectionOptionsValidator : IValidateOptions<OutlierDetectionOptions>
{
    /// <summary>The key prefix of options set in code: messages read "OutlierDetectionOptions.Interval is …".</summary>
    public const string CodeKeyPrefix = nameof(OutlierDetectionOptions) + ".";

    /// <summary>Gets or sets what precedes an option's name in messages: a configuration path and ':' once a section is bound, such as <c>Routing:OutlierDetection:</c>.</summary>
    public string KeyPrefix { get; set; } = CodeKeyPrefix;

    public ValidateOptionsResult Validate(string? name, OutlierDetectionOptions options)
    {
        List<string> errors = GetErrors(options, KeyPrefix);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public static List<string> GetErrors(OutlierDetectionOptions options, string keyPrefix)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        AtLeast(errors, keyPrefix, nameof(options.Consecutive5xx), options.Consecutive5xx, 0, " (0 turns the detector off)");
        Percent(errors, keyPrefix, nameof(options.EnforcingConsecutive5xx), options.EnforcingConsecutive5xx);
        AtLeast(errors, keyPrefix, nameof(options.ConsecutiveGatewayFailure), options.ConsecutiveGatewayFailure, 0, " (0 turns the detector off)");
        Percent(errors, keyPrefix, nameof(options.EnforcingConsecutiveGatewayFailure), options.EnforcingConsecutiveGatewayFailure);
        Duration(errors, keyPrefix, nameof(options.Interval), options.Interval);
        Duration(errors, keyPrefix, nameof(options.BaseEjectionTime), options.BaseEjectionTime);
        if (options.MaxEjectionTime is TimeSpan max)
        {
            Duration(errors, keyPrefix, nameof(options.MaxEjectionTime), max);
            if (max < options.BaseEjectionTime)
            {
                errors.Add($"{keyPrefix}{nameof(options.MaxEjectionTime)} is {DurationText.Format(max)}, but it must be at least {keyPrefix}{nameof(options.BaseEjectionTime)} ({DurationText.Format(options.BaseEjectionTime)}).");
            }
        }

        Percent(errors, keyPrefix, nameof(options.MaxEjectionPercent), options.MaxEjectionPercent);
        AtLeast(errors, keyPrefix, nameof(options.SuccessRateMinimumHosts), options.SuccessRateMinimumHosts, 1, string.Empty);
        AtLeast(errors, keyPrefix, nameof(options.SuccessRateRequestVolume), options.SuccessRateRequestVolume, 1, string.Empty);
        double factor = options.SuccessRateStdevFactor;
        if (!(factor >= 0 && factor <= OutlierDetectionConstants.MaximumStdevFactor))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{keyPrefix}{nameof(options.SuccessRateStdevFactor)} is {factor}, but it must be from 0 to {OutlierDetectionConstants.MaximumStdevFactor}, such as {OutlierDetectionConstants.DefaultSuccessRateStdevFactor}."));
        }

        Percent(errors, keyPrefix, nameof(options.EnforcingSuccessRate), options.EnforcingSuccessRate);
        Percent(errors, keyPrefix, nameof(options.FailurePercentageThreshold), options.FailurePercentageThreshold);
        Percent(errors, keyPrefix, nameof(options.EnforcingFailurePercentage), options.EnforcingFailurePercentage);
        AtLeast(errors, keyPrefix, nameof(options.FailurePercentageMinimumHosts), options.FailurePercentageMinimumHosts, 1, string.Empty);
        AtLeast(errors, keyPrefix, nameof(options.FailurePercentageRequestVolume), options.FailurePercentageRequestVolume, 1, string.Empty);
        Percent(errors, keyPrefix, nameof(options.HealthyPanicThreshold), options.HealthyPanicThreshold);
        return errors;
    }

    private static void AtLeast(List<string> errors, string keyPrefix, string name, int value, int minimum, string note)
    {
        if (value < minimum)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{keyPrefix}{name} is {value}, but it must be at least {minimum}{note}."));
        }
    }

    private static void Percent(List<string> errors, string keyPrefix, string name, int value)
    {
        if (value is < 0 or > 100)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{keyPrefix}{name} is {value}, but it must be a percentage from 0 to 100."));
        }
    }

    private static void Duration(List<string> errors, string keyPrefix, string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero || value > OutlierDetectionConstants.MaximumDuration)
        {
            errors.Add($"{keyPrefix}{name} is {DurationText.Format(value)}, but it must be above 0 and at most {DurationText.Format(OutlierDetectionConstants.MaximumDuration)}.");
        }
    }
}
