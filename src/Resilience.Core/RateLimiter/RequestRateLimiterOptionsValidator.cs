using System.Globalization;

namespace Resilience;

/// <summary>Validates <see cref="RequestRateLimiterOptions"/>; every message names the option, the value and the valid range.</summary>
internal static class RequestRateLimiterOptionsValidator
{
    public static void Validate(RequestRateLimiterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ValidateLimitForPeriod(options.LimitForPeriod);
        TimeSpan period = options.LimitRefreshPeriod;
        if (period < RequestRateLimiterConstants.MinimumLimitRefreshPeriod || period > RequestRateLimiterConstants.MaximumDuration)
        {
            Throw(nameof(RequestRateLimiterOptions.LimitRefreshPeriod), period, "from 100 ns (one tick) to " + Format(RequestRateLimiterConstants.MaximumDuration));
        }

        ValidateTimeoutDuration(options.TimeoutDuration);
    }

    public static void ValidateLimitForPeriod(int value)
    {
        if (value < 1)
        {
            Throw(nameof(RequestRateLimiterOptions.LimitForPeriod), value, "at least 1");
        }
    }

    public static void ValidateTimeoutDuration(TimeSpan value)
    {
        if (value < TimeSpan.Zero || value > RequestRateLimiterConstants.MaximumDuration)
        {
            Throw(nameof(RequestRateLimiterOptions.TimeoutDuration), value, "from zero to " + Format(RequestRateLimiterConstants.MaximumDuration));
        }
    }

    private static void Throw(string name, object value, string range) =>
        throw new ArgumentOutOfRangeException(
            name,
            value,
            string.Create(CultureInfo.InvariantCulture, $"RequestRateLimiterOptions.{name} is {Format(value)}, but it must be {range}."));

    private static string Format(object value) => value switch
    {
        TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "null",
    };
}
