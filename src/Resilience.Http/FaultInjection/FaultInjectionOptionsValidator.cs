using System.Globalization;

namespace Resilience.Http;

/// <summary>Validates <see cref="FaultInjectionOptions"/>; every message names the option, the value and the valid range.</summary>
internal static class FaultInjectionOptionsValidator
{
    /// <summary>The key prefix of options set in code: messages read "FaultInjectionOptions.AbortPercentage is …".</summary>
    public const string CodeKeyPrefix = nameof(FaultInjectionOptions) + ".";

    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> for the first invalid option.</summary>
    public static void Validate(FaultInjectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (FindError(options) is { } error)
        {
            throw new ArgumentOutOfRangeException(error.Option, error.Value, error.Describe(CodeKeyPrefix));
        }
    }

    /// <summary>The message for the first invalid option, or <see langword="null"/> when the options are valid.</summary>
    /// <param name="options">The options to check.</param>
    /// <param name="keyPrefix">What precedes the option's name: <see cref="CodeKeyPrefix"/>, or a configuration path and ':'.</param>
    public static string? GetError(FaultInjectionOptions options, string keyPrefix)
    {
        ArgumentNullException.ThrowIfNull(options);
        return FindError(options)?.Describe(keyPrefix);
    }

    private static Error? FindError(FaultInjectionOptions options)
    {
        if (options.DelayDuration < TimeSpan.Zero || options.DelayDuration > FaultInjectionConstants.MaximumDelay)
        {
            return new(
                nameof(FaultInjectionOptions.DelayDuration),
                options.DelayDuration,
                "from 0 to " + FaultInjectionConstants.MaximumDelay.ToString("c", CultureInfo.InvariantCulture));
        }

        if (!IsPercentage(options.DelayPercentage))
        {
            return PercentageError(nameof(FaultInjectionOptions.DelayPercentage), options.DelayPercentage);
        }

        if (!IsPercentage(options.AbortPercentage))
        {
            return PercentageError(nameof(FaultInjectionOptions.AbortPercentage), options.AbortPercentage);
        }

        if (options.AbortStatusCode is < FaultInjectionConstants.MinimumAbortStatusCode or > FaultInjectionConstants.MaximumAbortStatusCode)
        {
            return new(
                nameof(FaultInjectionOptions.AbortStatusCode),
                options.AbortStatusCode,
                string.Create(CultureInfo.InvariantCulture, $"between {FaultInjectionConstants.MinimumAbortStatusCode} and {FaultInjectionConstants.MaximumAbortStatusCode}"));
        }

        if (options.AbortKind is not (FaultAbortKind.StatusCode or FaultAbortKind.DropConnection))
        {
            return new(
                nameof(FaultInjectionOptions.AbortKind),
                (int)options.AbortKind,
                $"{nameof(FaultAbortKind.StatusCode)} or {nameof(FaultAbortKind.DropConnection)}");
        }

        return null;
    }

    // Written so that NaN is out of range.
    private static bool IsPercentage(double value) =>
        value >= FaultInjectionConstants.MinimumPercentage && value <= FaultInjectionConstants.MaximumPercentage;

    private static Error PercentageError(string option, double value) =>
        new(option, value, string.Create(CultureInfo.InvariantCulture, $"between {FaultInjectionConstants.MinimumPercentage} and {FaultInjectionConstants.MaximumPercentage}"));

    private readonly record struct Error(string Option, object Value, string Range)
    {
        public string Describe(string keyPrefix) =>
            string.Create(CultureInfo.InvariantCulture, $"{keyPrefix}{Option} is {Format(Value)}, but it must be {Range}.");

        private static string Format(object value) => value switch
        {
            TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "null",
        };
    }
}
