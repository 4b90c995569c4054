using System.Globalization;

namespace Resilience;

/// <summary>Validates <see cref="BulkheadOptions"/>; every message names the option, the value and the valid range.</summary>
internal static class BulkheadOptionsValidator
{
    public static void Validate(BulkheadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ValidateMaxConcurrentCalls(options.MaxConcurrentCalls, nameof(BulkheadOptions.MaxConcurrentCalls));
        if (options.MaxWaitDuration < TimeSpan.Zero || options.MaxWaitDuration > BulkheadConstants.MaximumWait)
        {
            Throw(
                nameof(BulkheadOptions.MaxWaitDuration),
                nameof(BulkheadOptions.MaxWaitDuration),
                options.MaxWaitDuration,
                "from 0 to " + BulkheadConstants.MaximumWait.ToString("c", CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Checks a limit for the constructor or for <see cref="Bulkhead.ChangeMaxConcurrentCalls"/>.</summary>
    public static void ValidateMaxConcurrentCalls(int value, string parameterName)
    {
        if (value < 0)
        {
            Throw(parameterName, nameof(BulkheadOptions.MaxConcurrentCalls), value, "at least 0");
        }
    }

    private static void Throw(string parameterName, string option, object value, string range) =>
        throw new ArgumentOutOfRangeException(
            parameterName,
            value,
            string.Create(CultureInfo.InvariantCulture, $"BulkheadOptions.{option} is {Format(value)}, but it must be {range}."));

    private static string Format(object value) => value switch
    {
        TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "null",
    };
}
