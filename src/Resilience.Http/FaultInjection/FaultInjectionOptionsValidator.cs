using System.Globalization;

namespace Resilience.Http;

/// <summary>Validates <see cref="FaultInjectionOptions"/>: every problem at once, each message naming the option, the value and the valid range.</summary>
internal static class FaultInjectionOptionsValidator
{
    /// <summary>The key prefix of options set in code: messages read "FaultInjectionOptions.AbortPercentage is …".</summary>
    public const string CodeKeyPrefix = nameof(FaultInjectionOptions) + ".";

    /// <summary>Every problem of <paramref name="options"/>, one message each; empty when the options are valid.</summary>
    /// <param name="options">The options to check.</param>
    /// <param name="keyPrefix">What precedes the option's name: <see cref="CodeKeyPrefix"/>, or a configuration path and ':'.</param>
    public static List<string> GetErrors(FaultInjectionOptions options, string keyPrefix)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.DelayDuration < TimeSpan.Zero || options.DelayDuration > FaultInjectionConstants.MaximumDelay)
        {
            errors.Add(Describe(keyPrefix, nameof(FaultInjectionOptions.DelayDuration), options.DelayDuration, "from 0 to " + DurationText.Format(FaultInjectionConstants.MaximumDelay)));
        }

        if (!IsPercentage(options.DelayPercentage))
        {
            errors.Add(Describe(keyPrefix, nameof(FaultInjectionOptions.DelayPercentage), options.DelayPercentage, PercentageRange));
        }

        if (!IsPercentage(options.AbortPercentage))
        {
            errors.Add(Describe(keyPrefix, nameof(FaultInjectionOptions.AbortPercentage), options.AbortPercentage, PercentageRange));
        }

        if (options.AbortStatusCode is < FaultInjectionConstants.MinimumAbortStatusCode or > FaultInjectionConstants.MaximumAbortStatusCode)
        {
            errors.Add(Describe(
                keyPrefix,
                nameof(FaultInjectionOptions.AbortStatusCode),
                options.AbortStatusCode,
                string.Create(CultureInfo.InvariantCulture, $"between {FaultInjectionConstants.MinimumAbortStatusCode} and {FaultInjectionConstants.MaximumAbortStatusCode}")));
        }

        if (options.AbortKind is not (FaultAbortKind.StatusCode or FaultAbortKind.DropConnection))
        {
            errors.Add(Describe(keyPrefix, nameof(FaultInjectionOptions.AbortKind), (int)options.AbortKind, $"{nameof(FaultAbortKind.StatusCode)} or {nameof(FaultAbortKind.DropConnection)}"));
        }

        return errors;
    }

    private static readonly string PercentageRange =
        string.Create(CultureInfo.InvariantCulture, $"between {FaultInjectionConstants.MinimumPercentage} and {FaultInjectionConstants.MaximumPercentage}");

    // Written so that NaN is out of range.
    private static bool IsPercentage(double value) =>
        value >= FaultInjectionConstants.MinimumPercentage && value <= FaultInjectionConstants.MaximumPercentage;

    private static string Describe(string keyPrefix, string option, object value, string range)
    {
        string text = value switch
        {
            TimeSpan t => DurationText.Format(t),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "null",
        };
        return string.Create(CultureInfo.InvariantCulture, $"{keyPrefix}{option} is {text}, but it must be {range}.");
    }
}
