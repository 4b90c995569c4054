using System.Globalization;
using Microsoft.Extensions.Options;

namespace Resilience.Routing.DependencyInjection;

/// <summary>
/// Validates each hedged client's <see cref="EndpointHedgingOptions"/> at start: every problem at once, each message
/// naming the full configuration key (such as <c>Hedging:inventory:MaxHedgedAttempts</c>), the value and the valid range.
/// </summary>
internal sealed class EndpointHedgingOptionsValidator(IOptions<EndpointHedgingClients> clients) : IValidateOptions<EndpointHedgingOptions>
{
    public ValidateOptionsResult Validate(string? name, EndpointHedgingOptions options)
    {
        if (name is null || !clients.Value.KeyPrefixes.TryGetValue(name, out string? prefix))
        {
            return ValidateOptionsResult.Skip;
        }

        List<string> errors = GetErrors(options, prefix);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public static List<string> GetErrors(EndpointHedgingOptions options, string prefix)
    {
        var errors = new List<string>();
        if (options.Delay < TimeSpan.Zero || options.Delay > HedgingConstants.MaxDelay)
        {
            errors.Add($"{prefix}{nameof(EndpointHedgingOptions.Delay)} is {DurationText.Format(options.Delay)}, but it must be from 0 s to {DurationText.Format(HedgingConstants.MaxDelay)}.");
        }

        if (options.DelayPercentile is double percentile && !(percentile is > 0 and <= 100))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{prefix}{nameof(EndpointHedgingOptions.DelayPercentile)} is {percentile}, but it must be above 0 and at most 100, such as 95."));
        }

        if (options.MaxHedgedAttempts is < 1 or > HedgingConstants.MaxHedgedAttempts)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{prefix}{nameof(EndpointHedgingOptions.MaxHedgedAttempts)} is {options.MaxHedgedAttempts}, but it must be from 1 to {HedgingConstants.MaxHedgedAttempts}."));
        }

        return errors;
    }
}
